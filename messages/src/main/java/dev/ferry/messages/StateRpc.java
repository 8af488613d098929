package dev.ferry.messages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Ferry's own call topic, served by every api-gateway: a data node claims a job before it acks the
 * cast that announced it. The claim is a compare-and-set on the job row; the grant carries the
 * epoch that every later transition must quote, the resolved shares, and a secret that only the
 * claiming node receives: its lease calls and transitions present it, since node names are
 * self-declared and prove nothing. Version 1.1 added the secret ({@code secret}) and the claim's own
 * token ({@code claim_token}); 1.0 callers are still served, but without a secret their lease calls
 * and transitions are refused.
 */
public final class StateRpc {
    public static final String TOPIC = "ferry-state";
    public static final String VERSION = "1.1";
    public static final String CLAIM_JOB = "claim_job";
    /** Extends the caller's lease on a running job; answers {"lease_seconds": n} or fails with LeaseLost. */
    public static final String RENEW_LEASE = "renew_lease";
    /** Gives a running job back (a draining node): it is queued again with a new epoch and re-dispatched. */
    public static final String RELEASE_JOB = "release_job";
    /**
     * A node about to write into a restore's target asks first: the api-gateway records that the target may have
     * been written (a cancel then leaves it {@code backup_restoring_error}), or answers {@code LeaseLost}.
     */
    public static final String BEGIN_WRITING = "begin_writing";
    /** A data node's heartbeat ({@link ServiceReport}); answers when the next one is due. */
    public static final String REPORT_SERVICE = "report_service";
    public static final String CLAIM_REFUSED = "ClaimRefused";
    public static final String LEASE_LOST = "LeaseLost";
    /** The kwarg of a {@code LeaseLost} failure saying the API ended (cancelled or fenced) the job. */
    public static final String ENDED = "ended";
    public static final String MODULE = "ferry.state";
    /** In a {@code ClaimRefused} failure's kwargs: true when the node must park the cast rather than drop it. */
    public static final String PARK = "park";

    private StateRpc() {
    }

    /**
     * The cast a node received, and who it is; {@code backup} is null for share jobs without one.
     * {@code claimToken} is a random value the node makes once per cast and sends again when it claims again
     * after a lost reply: only the claim that presents it gets that job's grant a second time.
     */
    public record Claim(JobKind kind, BackupRow backup, String shareId, String node, String claimToken) {
        /** A claim without a token (a lost grant cannot be claimed again). */
        public Claim(JobKind kind, BackupRow backup, String shareId, String node) {
            this(kind, backup, shareId, node, null);
        }

        /** This claim with {@code token}. */
        public Claim withToken(String token) {
            return new Claim(kind, backup, shareId, node, token);
        }

        @Override
        public String toString() {
            return "Claim[kind=" + kind + ", backup=" + backupId() + ", shareId=" + shareId + ", node=" + node
                    + ", claimToken=" + Secrets.redacted(claimToken) + "]";
        }

        /** The backup's id, or null. */
        public String backupId() {
            return backup == null ? null : backup.id();
        }

        public ObjectNode toArgs() {
            ObjectNode args = Json.object();
            args.put("kind", kind.wireName());
            args.set("backup", backup == null ? null : backup.toOslo());
            args.put("share_id", shareId);
            args.put("node", node);
            if (claimToken != null) {
                args.put("claim_token", claimToken);
            }
            return args;
        }

        public static Claim fromArgs(JsonNode args) throws UndecodableMessageException {
            String kind = Json.text(args, "kind");
            if (kind == null) {
                throw new UndecodableMessageException("claim has no 'kind'");
            }
            try {
                JsonNode backup = args.get("backup");
                return new Claim(JobKind.fromWire(kind), backup == null || backup.isNull() ? null : BackupRow.fromOslo(backup),
                        Json.text(args, "share_id"), Json.text(args, "node"), Json.text(args, "claim_token"));
            } catch (IllegalArgumentException e) {
                throw new UndecodableMessageException(e.getMessage());
            }
        }

        public RpcRequest toRequest(RequestContext context) {
            return RpcRequest.cast(CLAIM_JOB, toArgs(), VERSION, context);
        }
    }

    /**
     * A successful claim: the job is this node's, at this epoch, as long as it renews its lease every
     * less than {@code leaseSeconds}. {@code backup} is null for share jobs without a backup; for
     * {@code shrink_share}, {@code target.sizeGib} is the size asked for. {@code secret} is the grant's
     * secret, which the node's lease calls and transitions present; the api-gateway keeps only its hash.
     * {@code restoreSelection} ({@code restore_selection} on the wire) is what a restore asked for beyond Manila's
     * whole restore, null for a whole one. {@code attempt} ({@code attempt}, from 1) counts the claims of the job
     * that opened an attempt, this one included: above 1, an earlier attempt may have written part of the target.
     * A grant from an api-gateway that sends neither reads as a whole restore, first attempt.
     */
    public record Grant(String jobId, long epoch, JobKind kind, BackupRow backup, ShareInfo source,
                        ShareInfo target, int leaseSeconds, String secret, RestoreScope restoreSelection,
                        int attempt) {
        /** A grant without a secret (before the api-gateway adds one), whole restore, first attempt. */
        public Grant(String jobId, long epoch, JobKind kind, BackupRow backup, ShareInfo source, ShareInfo target,
                     int leaseSeconds) {
            this(jobId, epoch, kind, backup, source, target, leaseSeconds, null);
        }

        /** A grant presenting {@code secret}, whole restore, first attempt. */
        public Grant(String jobId, long epoch, JobKind kind, BackupRow backup, ShareInfo source, ShareInfo target,
                     int leaseSeconds, String secret) {
            this(jobId, epoch, kind, backup, source, target, leaseSeconds, secret, null, 1);
        }

        /** This grant with {@code secret}. */
        public Grant withSecret(String secret) {
            return new Grant(jobId, epoch, kind, backup, source, target, leaseSeconds, secret, restoreSelection,
                    attempt);
        }

        /** This grant restoring {@code selection} (null: the whole backup). */
        public Grant withRestoreSelection(RestoreScope selection) {
            return new Grant(jobId, epoch, kind, backup, source, target, leaseSeconds, secret, selection, attempt);
        }

        /** This grant as the job's attempt number {@code attempt} (from 1). */
        public Grant withAttempt(int attempt) {
            return new Grant(jobId, epoch, kind, backup, source, target, leaseSeconds, secret, restoreSelection,
                    attempt);
        }

        /** Whether an earlier attempt of the job came before this one. */
        public boolean resumed() {
            return attempt > 1;
        }

        @Override
        public String toString() {
            return "Grant[jobId=" + jobId + ", epoch=" + epoch + ", kind=" + kind + ", backup="
                    + (backup == null ? null : backup.id()) + ", source=" + source + ", target=" + target
                    + ", leaseSeconds=" + leaseSeconds + ", secret=" + Secrets.redacted(secret)
                    + ", restoreSelection=" + restoreSelection + ", attempt=" + attempt + "]";
        }

        public ObjectNode toJson() {
            ObjectNode node = Json.object();
            node.put("job_id", jobId);
            node.put("epoch", epoch);
            node.put("kind", kind.wireName());
            node.set("backup", backup == null ? null : backup.toOslo());
            node.set("source", source == null ? null : source.toJson());
            node.set("target", target == null ? null : target.toJson());
            node.put("lease_seconds", leaseSeconds);
            node.put("secret", secret);
            node.set("restore_selection", restoreSelection == null ? null : restoreSelection.toJson());
            node.put("attempt", attempt);
            return node;
        }

        public static Grant fromJson(JsonNode node) throws UndecodableMessageException {
            return new Grant(Json.text(node, "job_id"), node.path("epoch").asLong(),
                    JobKind.fromWire(Json.text(node, "kind")),
                    node.path("backup").isObject() ? BackupRow.fromOslo(node.get("backup")) : null,
                    ShareInfo.fromJson(node.get("source")), ShareInfo.fromJson(node.get("target")),
                    node.path("lease_seconds").asInt(30), Json.text(node, "secret"),
                    RestoreScope.fromJson(node.get("restore_selection")), Math.max(1, node.path("attempt").asInt(1)));
        }
    }

    /**
     * Names a node's hold on a job: the renewal and the release both quote it, with the grant's
     * {@code secret} as the proof that the caller holds it.
     */
    public record Hold(String jobId, long epoch, String node, String secret) {
        /** A hold without the grant's secret: the api-gateway refuses its calls. */
        public Hold(String jobId, long epoch, String node) {
            this(jobId, epoch, node, null);
        }

        @Override
        public String toString() {
            return "Hold[jobId=" + jobId + ", epoch=" + epoch + ", node=" + node + ", secret="
                    + Secrets.redacted(secret) + "]";
        }

        public RpcRequest renewRequest(RequestContext context) {
            return RpcRequest.cast(RENEW_LEASE, toArgs(), VERSION, context);
        }

        public RpcRequest beginWritingRequest(RequestContext context) {
            return RpcRequest.cast(BEGIN_WRITING, toArgs(), VERSION, context);
        }

        public RpcRequest releaseRequest(String reason, RequestContext context) {
            ObjectNode args = toArgs();
            args.put("reason", reason);
            return RpcRequest.cast(RELEASE_JOB, args, VERSION, context);
        }

        private ObjectNode toArgs() {
            ObjectNode args = Json.object();
            args.put("job_id", jobId);
            args.put("epoch", epoch);
            args.put("node", node);
            if (secret != null) {
                args.put("secret", secret);
            }
            return args;
        }

        public static Hold fromArgs(JsonNode args) throws UndecodableMessageException {
            String jobId = Json.text(args, "job_id");
            if (jobId == null || !args.has("epoch")) {
                throw new UndecodableMessageException("a lease call needs 'job_id' and 'epoch'");
            }
            return new Hold(jobId, args.get("epoch").asLong(), Json.text(args, "node"), Json.text(args, "secret"));
        }
    }

    /** The node no longer holds the job (its lease expired and the job was re-dispatched, or it ended). */
    public static RemoteFailure leaseLost(String reason) {
        ObjectNode kwargs = Json.object();
        kwargs.put("reason", reason);
        return new RemoteFailure(LEASE_LOST, MODULE, reason, kwargs);
    }

    /**
     * The node no longer holds the job because Ferry's API ended it (a user's {@code cancel}, or an admin's
     * reset_status that fenced it): a {@link #leaseLost} that also asks the node to discard what the job made
     * (the partial copy of a backup). A node that does not know {@link #ENDED} stops as for any lost lease.
     */
    public static RemoteFailure jobEnded(String reason) {
        RemoteFailure failure = leaseLost(reason);
        failure.kwargs().put(ENDED, true);
        return failure;
    }

    /** Was this {@code LeaseLost} sent because the API ended the job ({@link #jobEnded})? */
    public static boolean endedByApi(RemoteFailure failure) {
        return failure.kwargs() != null && failure.kwargs().path(ENDED).asBoolean(false);
    }

    /** Why a claim was refused; the node acks and drops the cast (the job is not its to run). */
    public static RemoteFailure refused(String reason) {
        ObjectNode kwargs = Json.object();
        kwargs.put("reason", reason);
        return new RemoteFailure(CLAIM_REFUSED, MODULE, reason, kwargs);
    }

    /**
     * A claim refused for a cast that must not be run, ever (its context may not do what it asks): the node
     * parks the cast with {@code reason} rather than dropping it. A node that does not know {@link #PARK}
     * drops it as any refusal.
     */
    public static RemoteFailure refusedToPark(String reason) {
        RemoteFailure failure = refused(reason);
        failure.kwargs().put(PARK, true);
        return failure;
    }

    /** Does this refusal ask the node to park the cast? */
    public static boolean asksToPark(RemoteFailure failure) {
        return failure.kwargs() != null && failure.kwargs().path(PARK).asBoolean(false);
    }
}
