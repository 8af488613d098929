package dev.ferry.messages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** One reply to a call (oslo-wire.md §5.1). {@code failure} is always written, null on success. */
public record RpcReply(JsonNode result, RemoteFailure failure, boolean ending, String msgId, String uniqueId) {

    public static RpcReply success(String msgId, JsonNode result) {
        return new RpcReply(result == null ? NullNode.getInstance() : result, null, true, msgId, RpcRequest.newId());
    }

    public static RpcReply failure(String msgId, RemoteFailure failure) {
        return new RpcReply(NullNode.getInstance(), failure, true, msgId, RpcRequest.newId());
    }

    public ObjectNode toInner() {
        ObjectNode inner = Json.object();
        inner.set("result", result == null ? NullNode.getInstance() : result);
        if (failure == null) {
            inner.putNull("failure");
        } else {
            inner.put("failure", failure.toJsonString());
        }
        inner.put("ending", ending);
        inner.put("_msg_id", msgId);
        inner.put("_unique_id", uniqueId);
        return inner;
    }

    public byte[] toBytes() {
        return OsloEnvelope.wrap(toInner());
    }

    public static RpcReply decode(String contentType, byte[] body) throws UndecodableMessageException {
        ObjectNode inner = OsloEnvelope.unwrap(contentType, body);
        JsonNode failure = inner.get("failure");
        RemoteFailure parsed = failure == null || failure.isNull() ? null
                : RemoteFailure.parse(failure.isTextual() ? failure.asText() : failure.toString());
        JsonNode ending = inner.get("ending");
        return new RpcReply(inner.get("result"), parsed, ending != null && ending.asBoolean(false),
                Json.text(inner, "_msg_id"), Json.text(inner, "_unique_id"));
    }
}
