package dev.ferry.api.jobs.kinds;

import dev.ferry.api.db.Repositories;
import dev.ferry.api.db.Timestamps;
import dev.ferry.api.model.Job;
import dev.ferry.api.model.Share;
import dev.ferry.api.model.ShareStatus;
import dev.ferry.api.model.UserMessageAction;
import dev.ferry.api.service.CastOutbox;
import dev.ferry.messages.DataRpc;
import dev.ferry.messages.FailureDetail;
import dev.ferry.messages.JobKind;
import dev.ferry.messages.RequestContext;
import dev.ferry.messages.RpcRequest;
import dev.ferry.messages.ShareInfo;
import dev.ferry.messages.StateRpc;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code delete_share}: a {@code subdir} share's folder removed by a data node, while the share is
 * {@code deleting} (the API's share delete checks it first). Success removes the share's row; a failure leaves it
 * {@code error_deleting} with the message on the share; a fence changes nothing. Only Ferry's API starts these jobs.
 */
public final class DeleteShareKind implements KindRules {
    private static final Logger LOG = LoggerFactory.getLogger(DeleteShareKind.class);
    private final Repositories repos;

    public DeleteShareKind(Repositories repos) {
        this.repos = repos;
    }

    @Override
    public JobKind kind() {
        return JobKind.DELETE_SHARE;
    }

    @Override
    public UserMessageAction action() {
        return UserMessageAction.DELETE;
    }

    @Override
    public boolean aboutBackup() {
        return false;
    }

    @Override
    public boolean endsWithBackupCancel() {
        return false;
    }

    /** A queued job for the share (already deleting) and its cast in the outbox. Returns the job. */
    public Job enqueue(Connection c, CastOutbox outbox, String shareId, RequestContext caller) throws SQLException {
        Job job = Job.queued(UUID.randomUUID().toString(), kind(), null, shareId, caller.requestId(),
                Timestamps.now(repos.clock()));
        repos.jobs().insert(c, job);
        outbox.add(c, DataRpc.TOPIC, DataRpc.deleteShare(shareId, caller));
        return job;
    }

    @Override
    public Held adopt(Connection c, ForeignCast cast) {
        throw Checks.onlyFromApi(kind().wireName(), cast.shareId());
    }

    @Override
    public StateRpc.Grant grant(Connection c, Job job, int leaseSeconds) throws SQLException {
        ShareInfo target = repos.shares().find(c, job.shareId()).map(Share::info)
                .orElseThrow(() -> Refusal.invalid("Share " + job.shareId() + " could not be found."));
        return new StateRpc.Grant(job.id(), job.epoch(), job.kind(), null, null, target, leaseSeconds);
    }

    /** No progress field: the report only shows the node is alive. */
    @Override
    public boolean progress(Connection c, Job job, int percent) {
        return true;
    }

    @Override
    public void succeed(Connection c, Job job, String node) throws SQLException {
        Checks.expect(repos.shares().remove(c, job.shareId(), ShareStatus.DELETING), "share", job.shareId(),
                "deleting");
        LOG.info("job {}: share {} deleted", job.id(), job.shareId());
    }

    @Override
    public Notice fail(Connection c, Job job, FailureDetail detail, String reason, boolean targetTouched)
            throws SQLException {
        Checks.expect(repos.shares().changeStatus(c, job.shareId(), ShareStatus.DELETING, ShareStatus.ERROR_DELETING),
                "share", job.shareId(), "deleting");
        LOG.warn("job {}: {} of share {} failed ({}: {}); share is now {}", job.id(), kind().wireName(), job.shareId(),
                detail.id(), reason, ShareStatus.ERROR_DELETING.wire());
        return new Notice(action(), Notice.SHARE, job.shareId(),
                Checks.projectOf(repos.shares().find(c, job.shareId()).orElse(null)));
    }

    @Override
    public Notice cancel(Connection c, Job job, boolean mayHaveWritten, String reason) {
        return null;
    }

    @Override
    public Optional<RpcRequest> recast(Connection c, Job job) throws SQLException {
        return repos.shares().find(c, job.shareId()).map(s -> DataRpc.deleteShare(job.shareId(),
                Checks.ownerContext(repos.clock(), s.userId(), s.projectId(), job)));
    }

    @Override
    public String needs(Job job) {
        return "share " + job.shareId();
    }
}
