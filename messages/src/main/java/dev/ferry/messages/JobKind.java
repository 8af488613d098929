package dev.ferry.messages;

/**
 * What a job does; the wire name is the data method that starts it: Manila's for backups, Ferry's own for
 * the {@code subdir} share backend (create, delete, shrink a share folder).
 */
public enum JobKind {
    RESTORE(DataRpc.RESTORE_BACKUP),
    CREATE_BACKUP(DataRpc.CREATE_BACKUP),
    DELETE_BACKUP(DataRpc.DELETE_BACKUP),
    /** Creates a share's folder, and restores a backup into it when the share is created from one. */
    CREATE_SHARE(DataRpc.CREATE_SHARE),
    DELETE_SHARE(DataRpc.DELETE_SHARE),
    /** Checks that a share's used space fits the smaller size before the size is recorded. */
    SHRINK_SHARE(DataRpc.SHRINK_SHARE),
    /** Ferry's own: reads a backup's repository copy and checks it against its manifest; changes no status. */
    VERIFY_BACKUP(DataRpc.VERIFY_BACKUP);

    private final String wireName;

    JobKind(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** Whether the job is about a share of the {@code subdir} backend rather than a backup. */
    public boolean sharesOnly() {
        return this == CREATE_SHARE || this == DELETE_SHARE || this == SHRINK_SHARE;
    }

    public static JobKind fromWire(String name) {
        for (JobKind kind : values()) {
            if (kind.wireName.equals(name)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown job kind '" + name + "'");
    }
}
