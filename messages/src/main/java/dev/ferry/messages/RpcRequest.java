package dev.ferry.messages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.UUID;

/**
 * One oslo RPC request (cast or call), inner-message fields of oslo-wire.md §4.
 * {@code msgId} and {@code replyQueue} are set only for calls.
 */
public record RpcRequest(String method, ObjectNode args, String version, String msgId, String replyQueue,
                         Integer callMonitorTimeout, String uniqueId, RequestContext context) {

    public static RpcRequest cast(String method, ObjectNode args, String version, RequestContext context) {
        return new RpcRequest(method, args, version, null, null, null, newId(), context);
    }

    public RpcRequest asCall(String replyQueue) {
        return new RpcRequest(method, args, version, newId(), replyQueue, null, uniqueId, context);
    }

    public boolean isCall() {
        return msgId != null && replyQueue != null;
    }

    public static String newId() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    /** The inner message, keys in oslo's order. */
    public ObjectNode toInner() {
        ObjectNode inner = Json.object();
        inner.put("method", method);
        inner.set("args", args == null ? Json.object() : args);
        if (version != null) {
            inner.put("version", version);
        }
        if (isCall()) {
            inner.put("_msg_id", msgId);
            inner.put("_reply_q", replyQueue);
            if (callMonitorTimeout == null) {
                inner.putNull("_timeout");
            } else {
                inner.put("_timeout", callMonitorTimeout);
            }
        }
        inner.put("_unique_id", uniqueId);
        if (context != null) {
            context.writeTo(inner);
        }
        return inner;
    }

    public byte[] toBytes() {
        return OsloEnvelope.wrap(toInner());
    }

    /** Reads an inner message as oslo's dispatcher does: version defaults to 1.0. */
    public static RpcRequest fromInner(ObjectNode inner) throws UndecodableMessageException {
        JsonNode method = inner.get("method");
        if (method == null || !method.isTextual()) {
            throw new UndecodableMessageException("message has no 'method' string");
        }
        JsonNode args = inner.get("args");
        if (args != null && !args.isNull() && !args.isObject()) {
            throw new UndecodableMessageException("'args' of " + method.asText() + " is not an object");
        }
        String version = Json.text(inner, "version");
        JsonNode timeout = inner.get("_timeout");
        return new RpcRequest(method.asText(), args == null || args.isNull() ? Json.object() : (ObjectNode) args,
                version == null ? "1.0" : version, Json.text(inner, "_msg_id"), Json.text(inner, "_reply_q"),
                timeout == null || timeout.isNull() ? null : timeout.asInt(), Json.text(inner, "_unique_id"),
                RequestContext.readFrom(inner));
    }

    public static RpcRequest decode(String contentType, byte[] body) throws UndecodableMessageException {
        return fromInner(OsloEnvelope.unwrap(contentType, body));
    }

    public String requestId() {
        return context == null ? null : context.requestId();
    }
}
