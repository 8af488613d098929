package dev.ferry.api.jobs;

import dev.ferry.api.db.Database;
import dev.ferry.api.db.Repositories;
import dev.ferry.api.db.Timestamps;
import dev.ferry.api.model.Backup;
import dev.ferry.api.model.BackupStatus;
import dev.ferry.api.model.Job;
import dev.ferry.api.model.JobStatus;
import dev.ferry.api.model.Share;
import dev.ferry.api.model.ShareStatus;
import dev.ferry.api.service.Policies;
import dev.ferry.messages.FailureDetail;
import dev.ferry.messages.JobKind;
import dev.ferry.messages.RequestContext;
import dev.ferry.messages.RpcFailureException;
import dev.ferry.messages.ShareInfo;
import dev.ferry.messages.StateRpc;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code claim_job}: a data node asks whether the cast it holds is its to run. A queued job is granted
 * by a compare-and-set that bumps its epoch and starts a lease of {@code leaseSeconds}; a cast that did
 * not come through Ferry's API (a real Manila/oslo client) gets the API's checks and a job of its own;
 * anything else is refused, so duplicates and replays are harmless. Every grant opens an attempt.
 * The queued job is looked for first, so a cast that the reaper or a release sent again (same request
 * id) is granted, while a replay of a cast whose job is running or finished is refused.
 *
 * <p>A cast without a job is granted only if its context (the oslo {@code _context_*} fields the node
 * passes along with its claim) may do what it asks under the API's own rules ({@link ForeignCastCheck});
 * otherwise nothing changes but a user message on what it named, and the refusal asks the node to park
 * the cast. Every grant carries a new secret ({@link GrantSecrets}) that the holder's lease calls and
 * transitions must present.
 */
public final class ClaimService {
    private static final Logger LOG = LoggerFactory.getLogger(ClaimService.class);
    private final Database db;
    private final Repositories repos;
    private final int leaseSeconds;
    private final ForeignCastCheck foreignCasts;
    private final UserMessageRecorder messages;
    private final GrantSecrets secrets;

    /** Manila's default policy; user messages live {@link UserMessageRecorder#TTL}. */
    public ClaimService(Repositories repos, int leaseSeconds) {
        this(repos, leaseSeconds, Policies.defaults(), UserMessageRecorder.TTL);
    }

    /** Casts without a job are checked against {@code policies}; user messages live {@code messageTtl}. */
    public ClaimService(Repositories repos, int leaseSeconds, Policies policies, Duration messageTtl) {
        this.repos = repos;
        this.db = repos.database();
        this.leaseSeconds = leaseSeconds;
        this.foreignCasts = new ForeignCastCheck(policies);
        this.messages = new UserMessageRecorder(repos.messages(), repos.clock(), messageTtl);
        this.secrets = new GrantSecrets(repos.attempts());
    }

    /**
     * A claim with no cast context (no project, no roles): only jobs Ferry's API created are granted, a cast
     * without a job is refused as one its context may not ask for.
     */
    public StateRpc.Grant claim(StateRpc.Claim claim, String requestId) throws RpcFailureException {
        return claim(claim, new RequestContext(null, null, false, List.of(), requestId, null, null, null));
    }

    /**
     * Grants the job, or throws a {@code ClaimRefused} failure saying why not. {@code caller} is the context of
     * the cast being claimed: it decides whether a cast that Ferry's API did not send may have its job.
     */
    public StateRpc.Grant claim(StateRpc.Claim claim, RequestContext caller) throws RpcFailureException {
        String shareId = claim.shareId() != null || claim.backup() == null ? claim.shareId() : claim.backup().shareId();
        try {
            StateRpc.Grant grant = db.inTransaction(c -> decide(c, claim, shareId, caller));
            LOG.info("granted job {} ({} of backup {}, share {}) to node {} at epoch {}", grant.jobId(),
                    claim.kind().wireName(), claim.backupId(), shareId, claim.node(), grant.epoch());
            return grant;
        } catch (ForbiddenCast forbidden) {
            ForeignCastCheck.Forbidden why = forbidden.forbidden;
            db.inTransaction(c -> messages.record(c, why.action(), FailureDetail.REQUEST_PROJECT_NOT_ALLOWED,
                    why.resourceType(), why.resourceId(), why.projectId(), caller.requestId()));
            LOG.warn("refused claim of {} for backup {}, share {} by node {}: {}", claim.kind().wireName(),
                    claim.backupId(), shareId, claim.node(), why.reason());
            throw new RpcFailureException(StateRpc.refusedToPark(why.reason()));
        } catch (Refusal refusal) {
            LOG.info("refused claim of {} for backup {}, share {} by node {}: {}", claim.kind().wireName(),
                    claim.backupId(), shareId, claim.node(), refusal.getMessage());
            throw new RpcFailureException(StateRpc.refused(refusal.getMessage()));
        }
    }

    private StateRpc.Grant decide(Connection c, StateRpc.Claim claim, String shareId, RequestContext caller)
            throws SQLException {
        String requestId = caller.requestId();
        String backupId = claim.backupId();
        Optional<Job> queued = repos.jobs().oldestQueued(c, claim.kind(), backupId, shareId);
        if (queued.isPresent()) {
            if (!repos.jobs().claim(c, queued.get().id(), claim.node(), leaseUntil())) {
                Job now = repos.jobs().find(c, queued.get().id()).orElseThrow();
                throw new Refusal(describe(now));
            }
            Job claimed = repos.jobs().find(c, queued.get().id()).orElseThrow();
            repos.attempts().open(c, claimed.id(), claimed.epoch(), claim.node());
            return granted(c, claimed, claim);
        }
        Optional<Job> running = repos.jobs().latest(c, claim.kind(), backupId, shareId)
                .filter(j -> j.status() == JobStatus.RUNNING);
        if (running.isPresent()) {
            Job job = running.get();
            // The holder claiming again lost the grant's reply (e.g. its reply queue vanished in a broker
            // restart): give it the same grant (with a new secret) rather than make the job wait out its lease.
            // Only the claim that got it knows its token: a node name proves nothing.
            if (claim.node() != null && claim.node().equals(job.node())
                    && (requestId == null || requestId.equals(job.requestId()))
                    && secrets.sameClaim(c, job.id(), job.epoch(), claim.claimToken())
                    && repos.jobs().renew(c, job.id(), job.epoch(), claim.node(), leaseUntil())) {
                LOG.info("node {} claimed job {} again (its grant was lost); same epoch {}", claim.node(), job.id(),
                        job.epoch());
                return granted(c, job, claim);
            }
            throw new Refusal(describe(job));
        }
        if (requestId != null) {
            Optional<Job> replayed = repos.jobs().forRequest(c, claim.kind(), backupId, shareId, requestId);
            if (replayed.isPresent()) {
                throw new Refusal(describe(replayed.get()) + "; this cast is a replay of request " + requestId);
            }
        }
        if (claim.kind().sharesOnly()) {
            throw new Refusal("share " + shareId + " has no queued " + claim.kind().wireName() + " job: Ferry's share "
                    + "jobs start only from its API");
        }
        Backup backup = repos.backups().find(c, backupId)
                .orElseThrow(() -> new Refusal("backup " + backupId + " does not exist"));
        Job adopted = switch (claim.kind()) {
            case RESTORE -> adoptRestore(c, caller, backup, shareId, claim.node());
            case CREATE_BACKUP -> adoptCreate(c, caller, backup, claim.node());
            case DELETE_BACKUP -> adoptDelete(c, caller, backup, claim.node());
            default -> throw new IllegalStateException("not a backup job: " + claim.kind());
        };
        return granted(c, adopted, claim);
    }

    /** The grant of {@code job}, with a new secret whose hash is kept with the attempt. */
    private StateRpc.Grant granted(Connection c, Job job, StateRpc.Claim claim) throws SQLException {
        StateRpc.Grant grant = grant(c, job);
        return grant.withSecret(secrets.issue(c, job.id(), job.epoch(), claim.claimToken()));
    }

    private static void authorise(Optional<ForeignCastCheck.Forbidden> forbidden) {
        if (forbidden.isPresent()) {
            throw new ForbiddenCast(forbidden.get());
        }
    }

    /**
     * A delete_backup cast without a job (a real Manila client set the backup deleting and cast): granted only
     * for a backup that is deleting. A deleted backup is not found, so its replays are refused above.
     */
    private Job adoptDelete(Connection c, RequestContext caller, Backup backup, String node) throws SQLException {
        authorise(foreignCasts.deleteBackup(caller, backup));
        if (backup.status() != BackupStatus.DELETING) {
            throw new Refusal("backup " + backup.id() + " is " + backup.status().wire() + ", not deleting");
        }
        return insertRunning(c, JobKind.DELETE_BACKUP, backup.id(), backup.shareId(), node, caller.requestId());
    }

    /** A restore cast Ferry's API did not send: the API's checks and status changes, then a running job. */
    private Job adoptRestore(Connection c, RequestContext caller, Backup backup, String shareId, String node)
            throws SQLException {
        Share target = repos.shares().find(c, shareId)
                .orElseThrow(() -> new Refusal("Share " + shareId + " could not be found."));
        authorise(foreignCasts.restore(caller, backup, target));
        if (backup.status() != BackupStatus.AVAILABLE) {
            throw new Refusal("Invalid backup: Backup " + backup.id() + " status must be available.");
        }
        if (target.status() != ShareStatus.AVAILABLE) {
            throw new Refusal("Invalid share: Share to be restored to must be available.");
        }
        if (backup.size() > target.size()) {
            throw new Refusal("Invalid share: Share size " + target.size()
                    + " is too small to restore backup of size " + backup.size() + ".");
        }
        if (!repos.backups().startRestore(c, backup.id())) {
            throw new Refusal("Invalid backup: Backup " + backup.id() + " status must be available.");
        }
        if (!repos.shares().startRestore(c, target.id(), backup.id())) {
            throw new Refusal("Invalid share: Share to be restored to must be available.");
        }
        return insertRunning(c, JobKind.RESTORE, backup.id(), target.id(), node, caller.requestId());
    }

    /** A create_backup cast without a job: granted only for a backup Ferry's API left creating. */
    private Job adoptCreate(Connection c, RequestContext caller, Backup backup, String node) throws SQLException {
        Share share = repos.shares().find(c, backup.shareId())
                .orElseThrow(() -> new Refusal("Share " + backup.shareId() + " could not be found."));
        authorise(foreignCasts.createBackup(caller, backup, share));
        if (backup.status() != BackupStatus.CREATING) {
            throw new Refusal("backup " + backup.id() + " is " + backup.status().wire() + ", not creating");
        }
        if (share.status() != ShareStatus.BACKUP_CREATING) {
            throw new Refusal("share " + share.id() + " is " + share.status().wire() + ", not backup_creating");
        }
        if (!repos.jobs().forBackup(c, JobKind.CREATE_BACKUP, backup.id()).isEmpty()) {
            throw new Refusal("backup " + backup.id() + " already has a create_backup job");
        }
        return insertRunning(c, JobKind.CREATE_BACKUP, backup.id(), share.id(), node, caller.requestId());
    }

    private Job insertRunning(Connection c, JobKind kind, String backupId, String shareId, String node,
                              String requestId) throws SQLException {
        LocalDateTime now = Timestamps.now(repos.clock());
        Job job = new Job(UUID.randomUUID().toString(), kind, backupId, shareId, JobStatus.RUNNING, 1, node,
                requestId, null, null, now.plusSeconds(leaseSeconds), now, now);
        repos.jobs().insert(c, job);
        repos.attempts().open(c, job.id(), job.epoch(), node);
        return job;
    }

    private LocalDateTime leaseUntil() {
        return Timestamps.now(repos.clock()).plusSeconds(leaseSeconds);
    }

    private StateRpc.Grant grant(Connection c, Job job) throws SQLException {
        if (job.kind().sharesOnly()) {
            return shareGrant(c, job);
        }
        Backup backup = repos.backups().find(c, job.backupId())
                .orElseThrow(() -> new Refusal("backup " + job.backupId() + " does not exist"));
        return switch (job.kind()) {
            case RESTORE -> {
                ShareInfo source = repos.shares().find(c, backup.shareId()).map(Share::info).orElse(null);
                ShareInfo target = repos.shares().find(c, job.shareId()).map(Share::info)
                        .orElseThrow(() -> new Refusal("Share " + job.shareId() + " could not be found."));
                yield new StateRpc.Grant(job.id(), job.epoch(), job.kind(), backup.toRow(), source, target,
                        leaseSeconds);
            }
            case CREATE_BACKUP -> {
                ShareInfo source = repos.shares().find(c, job.shareId()).map(Share::info)
                        .orElseThrow(() -> new Refusal("Share " + job.shareId() + " could not be found."));
                yield new StateRpc.Grant(job.id(), job.epoch(), job.kind(), backup.toRow(), source, null,
                        leaseSeconds);
            }
            // Deleting needs no share: the backup's own share is passed along when it still exists.
            case DELETE_BACKUP -> new StateRpc.Grant(job.id(), job.epoch(), job.kind(), backup.toRow(),
                    repos.shares().find(c, backup.shareId()).map(Share::info).orElse(null), null, leaseSeconds);
            default -> throw new IllegalStateException("not a backup job: " + job.kind());
        };
    }

    /**
     * A share job's grant: the share as {@code target} (for a shrink, with the size asked for), and for a
     * share created from a backup, the backup and its own share as {@code source}.
     */
    private StateRpc.Grant shareGrant(Connection c, Job job) throws SQLException {
        Share share = repos.shares().find(c, job.shareId())
                .orElseThrow(() -> new Refusal("Share " + job.shareId() + " could not be found."));
        ShareInfo target = share.info();
        if (job.kind() == JobKind.SHRINK_SHARE) {
            target = new ShareInfo(target.id(), target.projectId(), target.protocol(), job.newSize(),
                    target.exportPath());
        }
        if (job.backupId() == null) {
            return new StateRpc.Grant(job.id(), job.epoch(), job.kind(), null, null, target, leaseSeconds);
        }
        Backup backup = repos.backups().find(c, job.backupId())
                .orElseThrow(() -> new Refusal("backup " + job.backupId() + " does not exist"));
        ShareInfo source = repos.shares().find(c, backup.shareId()).map(Share::info).orElse(null);
        return new StateRpc.Grant(job.id(), job.epoch(), job.kind(), backup.toRow(), source, target, leaseSeconds);
    }

    private static String describe(Job job) {
        String what = "job " + job.id() + " (" + job.kind().wireName() + (job.backupId() == null ? "" : " of backup "
                + job.backupId() + ",") + " share " + job.shareId() + ")";
        return switch (job.status()) {
            case RUNNING -> what + " is already claimed by node " + job.node() + " at epoch " + job.epoch();
            case QUEUED -> what + " is still queued";
            case SUCCEEDED -> what + " already succeeded";
            case FAILED -> what + " already failed";
            case CANCELLED -> what + " was " + (job.reason() == null ? "cancelled" : job.reason());
        };
    }

    /** Why a claim is refused; thrown inside the transaction so that it rolls back. */
    private static class Refusal extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refusal(String reason) {
            super(reason, null, false, false);
        }
    }

    /** A cast whose context may not ask for its job: refused, with a user message, and parked by the node. */
    private static final class ForbiddenCast extends Refusal {
        private static final long serialVersionUID = 1L;
        private final transient ForeignCastCheck.Forbidden forbidden;

        ForbiddenCast(ForeignCastCheck.Forbidden forbidden) {
            super(forbidden.reason());
            this.forbidden = forbidden;
        }
    }
}
