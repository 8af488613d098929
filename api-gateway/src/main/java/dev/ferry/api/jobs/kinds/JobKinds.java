package dev.ferry.api.jobs.kinds;

import dev.ferry.api.db.Repositories;
import dev.ferry.messages.JobKind;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The one table from a job kind of the wire contract to its {@link KindRules}, built at start. It refuses to be
 * built when a kind has no rules or two, so an api-gateway that would not know what a job means does not start.
 * Adding a kind: its rules type, and one line in {@link #standard}.
 */
public final class JobKinds {
    private final Map<JobKind, KindRules> byKind;

    /** Throws IllegalStateException naming each kind without rules, or the kind given twice. */
    public JobKinds(Collection<? extends KindRules> rules) {
        Map<JobKind, KindRules> table = new EnumMap<>(JobKind.class);
        for (KindRules rule : rules) {
            KindRules before = table.put(rule.kind(), rule);
            if (before != null) {
                throw new IllegalStateException("job kind " + rule.kind().wireName() + " has two rules types, "
                        + before.getClass().getSimpleName() + " and " + rule.getClass().getSimpleName()
                        + ": give JobKinds one");
            }
        }
        List<String> missing = Arrays.stream(JobKind.values()).filter(k -> !table.containsKey(k))
                .map(JobKind::wireName).toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("the api-gateway does not know what job kind(s) " + missing + " mean to "
                    + "the database: add a KindRules type for each to JobKinds.standard; it will not start without");
        }
        this.byKind = table;
    }

    /** Ferry's kinds. */
    public static JobKinds standard(Repositories repos) {
        return new JobKinds(List.of(new RestoreKind(repos), new CreateBackupKind(repos), new DeleteBackupKind(repos),
                new CreateShareKind(repos), new DeleteShareKind(repos), new ShrinkShareKind(repos), new VerifyKind(repos)));
    }

    public KindRules of(JobKind kind) {
        return byKind.get(kind);
    }

    public RestoreKind restore() {
        return typed(JobKind.RESTORE, RestoreKind.class);
    }

    public CreateBackupKind createBackup() {
        return typed(JobKind.CREATE_BACKUP, CreateBackupKind.class);
    }

    public DeleteBackupKind deleteBackup() {
        return typed(JobKind.DELETE_BACKUP, DeleteBackupKind.class);
    }

    public CreateShareKind createShare() {
        return typed(JobKind.CREATE_SHARE, CreateShareKind.class);
    }

    public DeleteShareKind deleteShare() {
        return typed(JobKind.DELETE_SHARE, DeleteShareKind.class);
    }

    public ShrinkShareKind shrinkShare() {
        return typed(JobKind.SHRINK_SHARE, ShrinkShareKind.class);
    }

    public VerifyKind verify() {
        return typed(JobKind.VERIFY_BACKUP, VerifyKind.class);
    }

    private <T extends KindRules> T typed(JobKind kind, Class<T> type) {
        KindRules rules = byKind.get(kind);
        if (!type.isInstance(rules)) {
            throw new IllegalStateException("job kind " + kind.wireName() + " has rules "
                    + rules.getClass().getSimpleName() + ", not the " + type.getSimpleName() + " the API starts it with");
        }
        return type.cast(rules);
    }
}
