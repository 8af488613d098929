package dev.ferry.messages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Ferry's own call topic, served by every api-gateway: a data node claims a job before it acks the
 * cast that announced it. The claim is a compare-and-set on the job row; the grant carries the
 * epoch that every later transition must quote, and the resolved shares.
 */
public final class StateRpc {
    public static final String TOPIC = "ferry-state";
    public static final String VERSION = "1.0";
    public static final String CLAIM_JOB = "claim_job";
    public static final String CLAIM_REFUSED = "ClaimRefused";
    public static final String MODULE = "ferry.state";

    private StateRpc() {
    }

    /** The cast a node received, and who it is. */
    public record Claim(JobKind kind, BackupRow backup, String shareId, String node) {
        public ObjectNode toArgs() {
            ObjectNode args = Json.object();
            args.put("kind", kind.wireName());
            args.set("backup", backup.toOslo());
            args.put("share_id", shareId);
            args.put("node", node);
            return args;
        }

        public static Claim fromArgs(JsonNode args) throws UndecodableMessageException {
            String kind = Json.text(args, "kind");
            if (kind == null) {
                throw new UndecodableMessageException("claim has no 'kind'");
            }
            try {
                return new Claim(JobKind.fromWire(kind), BackupRow.fromOslo(args.get("backup")),
                        Json.text(args, "share_id"), Json.text(args, "node"));
            } catch (IllegalArgumentException e) {
                throw new UndecodableMessageException(e.getMessage());
            }
        }

        public RpcRequest toRequest(RequestContext context) {
            return RpcRequest.cast(CLAIM_JOB, toArgs(), VERSION, context);
        }
    }

    /** A successful claim: the job is this node's, at this epoch. */
    public record Grant(String jobId, long epoch, JobKind kind, BackupRow backup, ShareInfo source,
                        ShareInfo target) {
        public ObjectNode toJson() {
            ObjectNode node = Json.object();
            node.put("job_id", jobId);
            node.put("epoch", epoch);
            node.put("kind", kind.wireName());
            node.set("backup", backup.toOslo());
            node.set("source", source == null ? null : source.toJson());
            node.set("target", target == null ? null : target.toJson());
            return node;
        }

        public static Grant fromJson(JsonNode node) throws UndecodableMessageException {
            return new Grant(Json.text(node, "job_id"), node.path("epoch").asLong(),
                    JobKind.fromWire(Json.text(node, "kind")), BackupRow.fromOslo(node.get("backup")),
                    ShareInfo.fromJson(node.get("source")), ShareInfo.fromJson(node.get("target")));
        }
    }

    /** Why a claim was refused; the node acks and drops the cast (the job is not its to run). */
    public static RemoteFailure refused(String reason) {
        ObjectNode kwargs = Json.object();
        kwargs.put("reason", reason);
        return new RemoteFailure(CLAIM_REFUSED, MODULE, reason, kwargs);
    }
}
