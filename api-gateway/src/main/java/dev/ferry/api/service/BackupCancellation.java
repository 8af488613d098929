package dev.ferry.api.service;

import dev.ferry.api.db.Database;
import dev.ferry.api.db.Ids;
import dev.ferry.api.db.Repositories;
import dev.ferry.api.model.Backup;
import dev.ferry.api.model.Job;
import dev.ferry.messages.RequestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v2/share-backups/{id}/action {"cancel": null}}, Ferry's own action: ends the backup's queued or
 * running restore, restore into a share being created from it, or creation: the jobs whose kind ends with a
 * cancel of its backup ({@link dev.ferry.api.jobs.kinds.KindRules#endsWithBackupCancel}), by {@link JobStop}.
 * Policy {@code share_backup:cancel} (403), the backup visible to the caller (404), then 400 when no such job
 * is queued or running.
 */
public final class BackupCancellation {
    private static final Logger LOG = LoggerFactory.getLogger(BackupCancellation.class);
    private final Database db;
    private final Repositories repos;
    private final Policies policies;
    private final JobStop stop;

    public BackupCancellation(Repositories repos, Policies policies, JobStop stop) {
        this.repos = repos;
        this.db = repos.database();
        this.policies = policies;
        this.stop = stop;
    }

    /** Ends the backup's job; returns the jobs ended (at least one), else throws the 400. */
    public List<Job> cancel(RequestContext caller, String backupId) {
        policies.require(Policy.BACKUP_CANCEL, caller);
        Optional<Backup> found = Ids.plausible(backupId) ? db.read(c -> repos.backups().find(c, backupId))
                : Optional.empty();
        Backup backup = found.filter(b -> Visibility.canSee(caller, b))
                .orElseThrow(() -> ApiError.notFound("No backup exists with ID " + backupId + "."));
        List<Job> ended = db.inTransaction(c -> {
            List<Job> active = repos.jobs().activeForBackupForUpdate(c, backup.id()).stream()
                    .filter(j -> stop.kinds().of(j.kind()).endsWithBackupCancel()).toList();
            List<Job> done = new ArrayList<>();
            for (Job job : active) {
                if (stop.end(c, job, JobStop.Why.cancel(caller))) {
                    done.add(job);
                }
            }
            return done;
        });
        if (ended.isEmpty()) {
            throw ApiError.badRequest("Invalid backup: Backup " + backup.id() + " has no restore, share creation "
                    + "from it or backup creation queued or running, so there is nothing to cancel. Its status is '"
                    + backup.status().wire() + "'.");
        }
        LOG.info("backup {}: {} cancelled by user {} of project {}", backup.id(),
                ended.stream().map(j -> j.kind().wireName() + " job " + j.id()).toList(), caller.userId(),
                caller.projectId());
        return ended;
    }
}
