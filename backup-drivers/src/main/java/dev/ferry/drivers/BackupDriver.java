package dev.ferry.drivers;

import dev.ferry.messages.FailureDetail;

/**
 * A backup driver: what the data manager needs to back a share up into the backup repository and to
 * restore a backup into a share, and to delete a backup (Manila's {@code manila.data.backup_driver.BackupDriver}).
 *
 * <p>Implementations are thread-safe: the data manager runs several jobs at once on one driver.
 */
public interface BackupDriver {

    /** Manila's use_data_manager: true when the data manager mounts and copies itself (NFS driver: true). */
    boolean useDataManager();

    /** The spec's support_restore_to_target (Manila's restore_to_target_support). */
    boolean supportRestoreToTarget();

    /**
     * Whether data backed up from a share of {@code backupProtocol} can be restored into a share of
     * {@code targetProtocol} (NFS driver: only NFS to NFS, case-insensitive).
     */
    boolean supportsRestore(String backupProtocol, String targetProtocol);

    /** Whether shares of this protocol can be backed up (NFS driver: NFS only). */
    boolean supportsBackup(String shareProtocol);

    /**
     * Copies the share's root into {@code <backup repository>/<backupId>/} (created; an existing folder is
     * replaced by a fresh copy).
     */
    CopyReport backup(BackupRequest request, ProgressListener progress, Cancellation cancellation)
            throws DriverException;

    /**
     * Copies {@code <backup repository>/<backupId>/} into the target share's root, overlaying: files of the
     * same name are overwritten, other files are left alone.
     */
    CopyReport restore(RestoreRequest request, ProgressListener progress, Cancellation cancellation)
            throws DriverException;

    /**
     * Removes {@code <backup repository>/<backupId>/} and everything in it. A backup whose folder is already
     * gone is deleted successfully, so deleting twice is harmless. Drivers that cannot delete backups refuse.
     */
    default void delete(BackupDeleteRequest request, Cancellation cancellation) throws DriverException {
        throw new DriverException(FailureDetail.UNKNOWN_ERROR, "Deleting backup "
                + request.backupId() + " failed: the backup driver " + getClass().getSimpleName()
                + " cannot delete backups", false, null);
    }

    /**
     * Reads the repository copy of the backup and checks every file against the backup's manifest. Drivers
     * without manifests, and backups made before them, refuse with {@link FailureDetail#NO_MANIFEST}.
     */
    default VerifyReport verify(String backupId, ProgressListener progress, Cancellation cancellation)
            throws DriverException {
        throw noManifest(backupId);
    }

    /**
     * One page of the entries directly inside {@code folder} ("" for the backup root), from the backup's
     * manifest, sorted by name. An unknown folder or one that is not a directory is refused with
     * {@link FailureDetail#UNKNOWN_ERROR} and a message naming it.
     */
    default BrowsePage browse(String backupId, String folder, int limit, long offset) throws DriverException {
        throw noManifest(backupId);
    }

    /** The given backup-relative paths that the backup's manifest does not hold, in the given order. */
    default java.util.List<String> missingPaths(String backupId, java.util.List<String> paths)
            throws DriverException {
        throw noManifest(backupId);
    }

    private static DriverException noManifest(String backupId) {
        return new DriverException(FailureDetail.NO_MANIFEST, "Backup " + backupId + " has no manifest: it was "
                + "made before Ferry recorded the contents of backups, so it can only be restored in full", false,
                null);
    }

    /**
     * Called once when a data node starts, before it takes any job: removes what a process that died left
     * behind (the NFS driver: its mounts under the mount root). Failures are logged, never thrown.
     */
    default void cleanUpLeftovers() {
    }
}
