package dev.ferry.api.service;

import dev.ferry.api.db.Database;
import dev.ferry.api.db.Ids;
import dev.ferry.api.db.Repositories;
import dev.ferry.api.model.Backup;
import dev.ferry.api.model.BackupStatus;
import dev.ferry.messages.RequestContext;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code PUT /v2/share-backups/{id}} (name, description), the admin's {@code reset_status} action (which first
 * fences the jobs that hold the backup, {@link JobStop}), and Ferry's {@code cancel} action
 * ({@link BackupCancellation}).
 */
public final class BackupChanges {
    private static final Logger LOG = LoggerFactory.getLogger(BackupChanges.class);
    /** Manila's reset_status states, minus the migration states Ferry does not have. */
    public static final List<BackupStatus> RESETTABLE = List.of(BackupStatus.CREATING, BackupStatus.AVAILABLE,
            BackupStatus.DELETING, BackupStatus.ERROR, BackupStatus.ERROR_DELETING);
    private static final int RESET_ATTEMPTS = 5;
    private final Database db;
    private final Repositories repos;
    private final Policies policies;
    private final JobStop stop;
    private final BackupCancellation cancellation;

    /** User messages of ended jobs live Manila's default 30 days. */
    public BackupChanges(Repositories repos, Policies policies) {
        this(repos, policies, JobStop.withDefaultMessageTtl(repos));
    }

    public BackupChanges(Repositories repos, Policies policies, JobStop stop) {
        this.repos = repos;
        this.policies = policies;
        this.db = repos.database();
        this.stop = stop;
        this.cancellation = new BackupCancellation(repos, policies, stop);
    }

    /** Ferry's {@code cancel} action: see {@link BackupCancellation}. */
    public void cancel(RequestContext caller, String id) {
        cancellation.cancel(caller, id);
    }

    /** The fields a PUT sets; a field whose {@code set*} is false is left as it is, null clears it. */
    public record Update(boolean setName, String name, boolean setDescription, String description) {
    }

    public Backup update(RequestContext caller, String id, Update update) {
        policies.require(Policy.BACKUP_UPDATE, caller);
        Backup backup = visible(caller, id);
        boolean changed = db.inTransaction(c -> repos.backups().rename(c, backup.id(), update.setName(),
                update.name(), update.setDescription(), update.description()));
        if (!changed) {
            throw notFound(id);
        }
        LOG.info("backup {} updated (name {}, description {})", id, update.setName() ? "set" : "kept",
                update.setDescription() ? "set" : "kept");
        return visible(caller, id);
    }

    /**
     * Sets the status whatever it was (admins only); the update is conditional on the status just read. Jobs that
     * hold the backup are ended first, in the same transaction: their outcome cannot overwrite the admin's status.
     */
    public void resetStatus(RequestContext caller, String id, String status) {
        policies.require(Policy.BACKUP_RESET_STATUS, caller);
        if (status == null) {
            throw ApiError.badRequest("Must specify 'status'");
        }
        BackupStatus target = RESETTABLE.stream().filter(s -> s.wire().equals(status)).findFirst()
                .orElseThrow(() -> ApiError.badRequest("Invalid state. Valid states: "
                        + String.join(", ", RESETTABLE.stream().map(BackupStatus::wire).toList()) + "."));
        for (int attempt = 0; attempt < RESET_ATTEMPTS; attempt++) {
            Backup backup = visible(caller, id);
            JobStop.Why why = JobStop.Why.fence(caller, "reset the status of backup " + id + " to " + target.wire());
            BackupStatus before = db.inTransaction(c -> {
                stop.endHolders(c, id, null, why);
                BackupStatus now = repos.backups().find(c, id).map(Backup::status).orElse(backup.status());
                return repos.backups().resetStatus(c, id, now, target) ? now : null;
            });
            if (before != null) {
                LOG.info("backup {} reset from {} to {} by {}", id, before.wire(), target.wire(), caller.userId());
                return;
            }
        }
        throw new ApiError(409, "Backup " + id + " kept changing status while it was being reset; retry.");
    }

    private Backup visible(RequestContext caller, String id) {
        Optional<Backup> found = Ids.plausible(id) ? db.read(c -> repos.backups().find(c, id)) : Optional.empty();
        return found.filter(b -> Visibility.canSee(caller, b)).orElseThrow(() -> notFound(id));
    }

    private static ApiError notFound(String id) {
        return ApiError.notFound("No backup exists with ID " + id + ".");
    }
}
