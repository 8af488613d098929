package dev.ferry.api.service;

import dev.ferry.api.db.Database;
import dev.ferry.api.db.Repositories;
import dev.ferry.api.jobs.kinds.DeleteBackupKind;
import dev.ferry.api.jobs.kinds.Refusal;
import dev.ferry.api.model.Backup;
import dev.ferry.api.model.Job;
import dev.ferry.messages.RequestContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code DELETE /v2/share-backups/{id}} (manila-behaviour.md §1.5 "Delete", §2.4): 404 for a backup the caller
 * cannot see, 400 unless it is available or error ({@link DeleteBackupKind#admission}), then one transaction: backup → deleting, a queued
 * {@code delete_backup} job and the {@code delete_backup} cast in the outbox. A lost race answers like the
 * status check it lost. The data node's transition later soft-deletes the row (status deleted) or leaves it
 * error_deleting.
 */
public final class BackupDeletionService {
    private static final Logger LOG = LoggerFactory.getLogger(BackupDeletionService.class);
    private final Database db;
    private final Repositories repos;
    private final Policies policies;
    private final CastOutbox outbox;
    private final JobStop stop;
    private final DeleteBackupKind deletions;

    public BackupDeletionService(Repositories repos, CastOutbox outbox, Policies policies) {
        this(repos, outbox, policies, JobStop.withDefaultMessageTtl(repos));
    }

    /** {@code stop}: ends a job left holding a backup an admin reset, before the backup is deleted. */
    public BackupDeletionService(Repositories repos, CastOutbox outbox, Policies policies, JobStop stop) {
        this.deletions = stop.kinds().deleteBackup();
        this.stop = stop;
        this.repos = repos;
        this.policies = policies;
        this.db = repos.database();
        this.outbox = outbox;
    }

    /** Accepts the deletion and answers the job that will do it. */
    public String delete(RequestContext caller, String backupId) {
        try {
            Backup backup = db.read(c -> repos.backups().find(c, backupId)).orElse(null);
            deletions.admission(policies, caller, backupId, backup).requireForApi();
            Job job = db.inTransaction(c -> {
                stop.endHolders(c, backup.id(), null, JobStop.Why.fence(caller, "deleted backup " + backup.id()));
                return deletions.enqueue(c, outbox, backup, caller);
            });
            outbox.committed();
            LOG.info("deletion of backup {} accepted (job {})", backup.id(), job.id());
            return job.id();
        } catch (Refusal refusal) {
            throw ApiError.of(refusal);
        }
    }
}
