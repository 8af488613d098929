package dev.ferry.api.jobs.kinds;

import dev.ferry.api.db.Repositories;
import dev.ferry.api.db.Timestamps;
import dev.ferry.api.model.Job;
import dev.ferry.api.model.JobStatus;
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
import java.time.LocalDateTime;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code shrink_share}: a data node checks that a {@code subdir} share's used space fits the smaller size the job
 * asks for, while the share is {@code shrinking} (the API's share shrink checks it first). Success records the new
 * size and leaves the share available; a failure leaves it available at its old size with the message on the share;
 * a fence changes nothing. Only Ferry's API starts these jobs.
 */
public final class ShrinkShareKind implements KindRules {
    private static final Logger LOG = LoggerFactory.getLogger(ShrinkShareKind.class);
    private final Repositories repos;

    public ShrinkShareKind(Repositories repos) {
        this.repos = repos;
    }

    @Override
    public JobKind kind() {
        return JobKind.SHRINK_SHARE;
    }

    @Override
    public UserMessageAction action() {
        return UserMessageAction.SHRINK;
    }

    @Override
    public boolean aboutBackup() {
        return false;
    }

    @Override
    public boolean endsWithBackupCancel() {
        return false;
    }

    /** A queued job asking for {@code newSize} GiB (the share already shrinking) and its cast. Returns the job. */
    public Job enqueue(Connection c, CastOutbox outbox, String shareId, int newSize, RequestContext caller)
            throws SQLException {
        LocalDateTime now = Timestamps.now(repos.clock());
        Job job = new Job(UUID.randomUUID().toString(), kind(), null, shareId, JobStatus.QUEUED, 0, null,
                caller.requestId(), null, null, null, now, now, newSize);
        repos.jobs().insert(c, job);
        outbox.add(c, DataRpc.TOPIC, DataRpc.shrinkShare(shareId, newSize, caller));
        return job;
    }

    @Override
    public Held adopt(Connection c, ForeignCast cast) {
        throw Checks.onlyFromApi(kind().wireName(), cast.shareId());
    }

    /** The share as {@code target}, with the size asked for. */
    @Override
    public StateRpc.Grant grant(Connection c, Job job, int leaseSeconds) throws SQLException {
        ShareInfo share = repos.shares().find(c, job.shareId()).map(Share::info)
                .orElseThrow(() -> Refusal.invalid("Share " + job.shareId() + " could not be found."));
        ShareInfo target = new ShareInfo(share.id(), share.projectId(), share.protocol(), job.newSize(),
                share.exportPath());
        return new StateRpc.Grant(job.id(), job.epoch(), job.kind(), null, null, target, leaseSeconds);
    }

    /** No progress field: the report only shows the node is alive. */
    @Override
    public boolean progress(Connection c, Job job, int percent) {
        return true;
    }

    @Override
    public void succeed(Connection c, Job job, String node) throws SQLException {
        Checks.expect(repos.shares().resize(c, job.shareId(), ShareStatus.SHRINKING, job.newSize()), "share",
                job.shareId(), "shrinking");
        Checks.expect(repos.shares().changeStatus(c, job.shareId(), ShareStatus.SHRINKING, ShareStatus.AVAILABLE),
                "share", job.shareId(), "shrinking");
        LOG.info("job {}: share {} shrunk to {} GiB", job.id(), job.shareId(), job.newSize());
    }

    @Override
    public Notice fail(Connection c, Job job, FailureDetail detail, String reason, boolean targetTouched)
            throws SQLException {
        Checks.expect(repos.shares().changeStatus(c, job.shareId(), ShareStatus.SHRINKING, ShareStatus.AVAILABLE),
                "share", job.shareId(), "shrinking");
        LOG.warn("job {}: {} of share {} failed ({}: {}); share is now {}", job.id(), kind().wireName(), job.shareId(),
                detail.id(), reason, ShareStatus.AVAILABLE.wire());
        return new Notice(action(), Notice.SHARE, job.shareId(),
                Checks.projectOf(repos.shares().find(c, job.shareId()).orElse(null)));
    }

    @Override
    public Notice cancel(Connection c, Job job, boolean mayHaveWritten, String reason) {
        return null;
    }

    @Override
    public Optional<RpcRequest> recast(Connection c, Job job) throws SQLException {
        return repos.shares().find(c, job.shareId()).map(s -> DataRpc.shrinkShare(job.shareId(), job.newSize(),
                Checks.ownerContext(repos.clock(), s.userId(), s.projectId(), job)));
    }

    @Override
    public String needs(Job job) {
        return "share " + job.shareId();
    }
}
