package dev.ferry.messages;

/** What a job does; the wire name is the Manila data method that starts it. */
public enum JobKind {
    RESTORE(DataRpc.RESTORE_BACKUP),
    CREATE_BACKUP(DataRpc.CREATE_BACKUP),
    DELETE_BACKUP(DataRpc.DELETE_BACKUP);

    private final String wireName;

    JobKind(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
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
