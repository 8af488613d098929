package dev.ferry.messages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Ferry's own cast topic for job transitions, applied by any api-gateway. Each transition quotes
 * the job's epoch and presents its grant's secret ({@link StateRpc.Grant#secret}, added in 1.1); one
 * from a stale epoch, without the secret or with a wrong one, or one that does not fit the job's state,
 * is dropped.
 */
public final class StatusRpc {
    public static final String TOPIC = "ferry-status";
    public static final String VERSION = "1.1";
    public static final String JOB_TRANSITION = "job_transition";
    /**
     * A call on {@code manila-data} that a data node's dispatcher refused, forwarded so that the api-gateway
     * answers the caller: data nodes may not publish to the default exchange, where oslo replies travel.
     */
    public static final String REFUSED_CALL = "refused_call";

    private StatusRpc() {
    }

    public enum Outcome {
        PROGRESS, SUCCEEDED, FAILED;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static Outcome fromWire(String wire) throws UndecodableMessageException {
            for (Outcome outcome : values()) {
                if (outcome.wire().equals(wire)) {
                    return outcome;
                }
            }
            throw new UndecodableMessageException("unknown transition outcome '" + wire + "'");
        }
    }

    /**
     * A job's transition. For FAILED, {@code detail} says why (a user message), {@code reason} adds
     * the specifics, and {@code targetTouched} says whether data in the target was written. A SUCCEEDED one may carry
     * a {@code detail} too: a notice for the user that is not a failure ({@link FailureDetail#METADATA_DROPPED}),
     * with {@code reason} naming what it is about. {@code counters} ({@code counters} on the wire, an object; absent
     * when null) is what the attempt copied, sent with the success or failure of a copying job. A SUCCEEDED
     * {@code create_backup} says with {@code manifestWritten} whether the backup's manifest was written complete
     * (wire {@code manifest_written}, sent only when true; a gateway that does not know it ignores it).
     */
    public record Transition(String jobId, long epoch, String node, Outcome outcome, int progress,
                             FailureDetail detail, String reason, boolean targetTouched, String secret,
                             CopyCounters counters, boolean manifestWritten) {

        /** The reason is bounded ({@link FailureReasons#bound}) whichever side makes the transition. */
        public Transition {
            reason = FailureReasons.bound(reason);
        }

        /** A transition presenting {@code secret}, without counters or manifest. */
        public Transition(String jobId, long epoch, String node, Outcome outcome, int progress, FailureDetail detail,
                          String reason, boolean targetTouched, String secret) {
            this(jobId, epoch, node, outcome, progress, detail, reason, targetTouched, secret, null, false);
        }

        /** A transition without the grant's secret (the api-gateway drops it until {@link #withSecret}). */
        public Transition(String jobId, long epoch, String node, Outcome outcome, int progress, FailureDetail detail,
                          String reason, boolean targetTouched) {
            this(jobId, epoch, node, outcome, progress, detail, reason, targetTouched, null, null, false);
        }

        /** This transition presenting {@code secret}, the secret of the job's grant. */
        public Transition withSecret(String secret) {
            return new Transition(jobId, epoch, node, outcome, progress, detail, reason, targetTouched, secret,
                    counters, manifestWritten);
        }

        /** This transition reporting what the attempt copied. */
        public Transition withCounters(CopyCounters counters) {
            return new Transition(jobId, epoch, node, outcome, progress, detail, reason, targetTouched, secret,
                    counters, manifestWritten);
        }

        /** This (successful) transition with a notice for the user: {@code detail}, and {@code reason} its specifics. */
        public Transition withNotice(FailureDetail detail, String reason) {
            return new Transition(jobId, epoch, node, outcome, progress, detail, reason, targetTouched, secret,
                    counters, manifestWritten);
        }

        @Override
        public String toString() {
            return "Transition[jobId=" + jobId + ", epoch=" + epoch + ", node=" + node + ", outcome=" + outcome
                    + ", progress=" + progress + ", detail=" + detail + ", reason=" + reason + ", targetTouched="
                    + targetTouched + ", secret=" + Secrets.redacted(secret) + ", counters=" + counters
                    + ", manifestWritten=" + manifestWritten + "]";
        }

        public static Transition progress(String jobId, long epoch, String node, int percent) {
            return new Transition(jobId, epoch, node, Outcome.PROGRESS, percent, null, null, false);
        }

        public static Transition succeeded(String jobId, long epoch, String node) {
            return new Transition(jobId, epoch, node, Outcome.SUCCEEDED, 100, null, null, true);
        }

        /** A backup's creation succeeded; {@code manifestWritten}: its manifest was written complete. */
        public static Transition succeeded(String jobId, long epoch, String node, boolean manifestWritten) {
            return new Transition(jobId, epoch, node, Outcome.SUCCEEDED, 100, null, null, true, null, null,
                    manifestWritten);
        }

        public static Transition failed(String jobId, long epoch, String node, FailureDetail detail, String reason,
                                        boolean targetTouched) {
            return new Transition(jobId, epoch, node, Outcome.FAILED, 0, detail, reason, targetTouched);
        }

        public RpcRequest toRequest(RequestContext context) {
            ObjectNode args = Json.object();
            args.put("job_id", jobId);
            args.put("epoch", epoch);
            args.put("node", node);
            args.put("outcome", outcome.wire());
            args.put("progress", progress);
            args.put("detail_id", detail == null ? null : detail.id());
            args.put("reason", reason);
            args.put("target_touched", targetTouched);
            if (secret != null) {
                args.put("secret", secret);
            }
            if (counters != null) {
                args.set("counters", counters.toJson());
            }
            if (manifestWritten) {
                args.put("manifest_written", true);
            }
            return RpcRequest.cast(JOB_TRANSITION, args, VERSION, context);
        }

        public static Transition fromArgs(JsonNode args) throws UndecodableMessageException {
            String jobId = Json.text(args, "job_id");
            if (jobId == null || !args.has("epoch")) {
                throw new UndecodableMessageException("transition needs 'job_id' and 'epoch'");
            }
            String detail = Json.text(args, "detail_id");
            return new Transition(jobId, args.get("epoch").asLong(), Json.text(args, "node"),
                    Outcome.fromWire(Json.text(args, "outcome")), args.path("progress").asInt(),
                    detail == null ? null : FailureDetail.fromId(detail), Json.text(args, "reason"),
                    args.path("target_touched").asBoolean(false), Json.text(args, "secret"),
                    CopyCounters.fromJson(args.get("counters")), args.path("manifest_written").asBoolean(false));
        }
    }

    /**
     * The forwarded form of a refused call: a call on this topic that names the original caller's reply queue
     * and message id, so the api-gateway's answer (the {@code failure}) reaches the original caller.
     */
    public static RpcRequest refusedCall(String replyQueue, String msgId, RemoteFailure failure,
                                         RequestContext context) {
        ObjectNode args = Json.object();
        args.put("failure", failure.toJsonString());
        return new RpcRequest(REFUSED_CALL, args, VERSION, msgId, replyQueue, null, RpcRequest.newId(), context);
    }

    /** The failure a forwarded refused call carries. */
    public static RemoteFailure refusedCallFailure(RpcRequest request) throws UndecodableMessageException {
        String failure = Json.text(request.args(), "failure");
        if (failure == null || !request.isCall()) {
            throw new UndecodableMessageException(REFUSED_CALL + " needs a 'failure' and the caller's _reply_q and _msg_id");
        }
        return RemoteFailure.parse(failure);
    }
}
