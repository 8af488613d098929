package dev.ferry.messages;

/**
 * Why an asynchronous job failed, as a user message detail. 032 is Manila's; Ferry's own start at 900.
 */
public enum FailureDetail {
    UNKNOWN_ERROR("001", "An unknown error occurred."),
    TARGETED_RESTORE_UNSUPPORTED("032",
            "Cannot restore a given backup to a target share, not supported by share driver."),
    PROTOCOL_PAIR_UNSUPPORTED("901",
            "Cannot restore the backup: the backup driver cannot restore data of the backup's share protocol into a share of the target's protocol."),
    BACKUP_DATA_MISSING("902", "Cannot restore the backup: its data is missing from the backup repository."),
    MOUNT_FAILED("903", "Cannot mount the share or the backup repository on the data node."),
    COPY_FAILED("904", "Copying data between the share and the backup repository failed."),
    SHARE_PROTOCOL_UNSUPPORTED("905", "The backup driver cannot back up shares of this protocol."),
    SHRINK_BELOW_USED_SPACE("906",
            "The share was not shrunk: its used space is larger than the new size. Choose a size above the used space."),
    SHARE_FOLDER_FAILED("907",
            "Cannot create or remove the share's folder under the share backend's base export."),
    /** A cast that did not come through Ferry's API asked for something its project may not do. */
    REQUEST_PROJECT_NOT_ALLOWED("908",
            "The request was refused: its project may not use this backup or share. Only the project that owns them, or an admin, may."),
    /** Not a failure: a job waits in the queue while no data node is up ({@code FERRY_QUEUED_WARN_SECONDS}). */
    NO_DATA_NODE_UP("909",
            "The request is queued, but no data node is up to run it: it starts once a data node is running again. "
                    + "An administrator can see the data nodes with GET /v2/services."),
    /** Ferry's {@code cancel} action, or an admin's reset_status or delete that ended the job first. */
    JOB_CANCELLED("910", "The job was cancelled before it finished."),
    /** Browse, verify or a selective restore of a backup made before Ferry wrote manifests. */
    NO_MANIFEST("911", "The backup has no manifest (it was made before Ferry recorded the contents of backups): "
            + "it can only be restored in full."),
    /** A restore or verify found repository files that are missing or do not match the manifest. */
    DAMAGED_FILES("912", "Some files of the backup are damaged or missing in the backup repository; they were not "
            + "restored."),
    /** Not a failure: a verify found every file of the backup sound. */
    BACKUP_SOUND("913", "The backup was verified: every file in the backup repository matches its manifest."),
    /** Not a failure: the target refused some extended attributes or ACLs, which were left out. */
    METADATA_DROPPED("914", "The target share refused some extended attributes or ACLs; the files were restored "
            + "without them.");

    private final String id;
    private final String text;

    FailureDetail(String id, String text) {
        this.id = id;
        this.text = text;
    }

    public String id() {
        return id;
    }

    public String text() {
        return text;
    }

    public static FailureDetail fromId(String id) {
        for (FailureDetail detail : values()) {
            if (detail.id.equals(id)) {
                return detail;
            }
        }
        return UNKNOWN_ERROR;
    }
}
