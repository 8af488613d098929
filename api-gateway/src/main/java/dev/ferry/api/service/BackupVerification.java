package dev.ferry.api.service;

import dev.ferry.api.db.Database;
import dev.ferry.api.db.Ids;
import dev.ferry.api.db.Repositories;
import dev.ferry.api.jobs.kinds.JobKinds;
import dev.ferry.api.jobs.kinds.Refusal;
import dev.ferry.api.jobs.kinds.VerifyKind;
import dev.ferry.api.model.Backup;
import dev.ferry.api.model.Job;
import dev.ferry.messages.RequestContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v2/share-backups/{id}/action {"verify": null}}, Ferry's own action: the checks of
 * {@link VerifyKind#admission} (403 policy {@code share_backup:verify}, 404 a backup the caller cannot see, 400 not
 * available or no manifest), then one transaction: a queued {@code verify_backup} job and its cast in the outbox. No
 * status changes: the backup stays available, and may be restored while it is verified.
 */
public final class BackupVerification {
    private static final Logger LOG = LoggerFactory.getLogger(BackupVerification.class);
    private final Database db;
    private final Repositories repos;
    private final Policies policies;
    private final CastOutbox outbox;
    private final VerifyKind verify;

    public BackupVerification(Repositories repos, CastOutbox outbox, Policies policies, JobKinds kinds) {
        this.repos = repos;
        this.db = repos.database();
        this.policies = policies;
        this.outbox = outbox;
        this.verify = kinds.verify();
    }

    /** Accepts the verification; returns the job that will do it. */
    public Job verify(RequestContext caller, String backupId) {
        try {
            Backup backup = Ids.plausible(backupId) ? db.read(c -> repos.backups().find(c, backupId)).orElse(null)
                    : null;
            verify.admission(policies, caller, backupId, backup).requireForApi();
            Job job = db.inTransaction(c -> verify.enqueue(c, outbox, backup, caller));
            outbox.committed();
            LOG.info("verification of backup {} accepted (job {})", backup.id(), job.id());
            return job;
        } catch (Refusal refusal) {
            throw ApiError.of(refusal);
        }
    }
}
