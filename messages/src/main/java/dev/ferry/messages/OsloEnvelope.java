package dev.ferry.messages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * oslo.messaging's 2.0 envelope: {@code {"oslo.version": "2.0", "oslo.message": "<inner JSON>"}}.
 * Accepts a bare inner object too, as oslo does (oslo-wire.md §8, §9).
 */
public final class OsloEnvelope {
    public static final String CONTENT_TYPE = "application/json";
    public static final String CONTENT_ENCODING = "utf-8";
    public static final String VERSION = "2.0";

    private OsloEnvelope() {
    }

    public static byte[] wrap(ObjectNode inner) {
        ObjectNode outer = Json.object();
        outer.put("oslo.version", VERSION);
        outer.put("oslo.message", Json.pythonStyle(inner));
        return Json.pythonStyle(outer).getBytes(StandardCharsets.UTF_8);
    }

    /** The inner message of a delivery, or why it cannot be read. */
    public static ObjectNode unwrap(String contentType, byte[] body) throws UndecodableMessageException {
        if (!CONTENT_TYPE.equals(contentType)) {
            throw new UndecodableMessageException("content type is '" + contentType
                    + "'; oslo.messaging only decodes exactly 'application/json'");
        }
        JsonNode outer;
        try {
            outer = Json.parse(body);
        } catch (IOException e) {
            throw new UndecodableMessageException("body is not JSON: " + e.getMessage(), e);
        }
        if (outer == null || !outer.isObject()) {
            throw new UndecodableMessageException("body is not a JSON object");
        }
        if (!outer.has("oslo.message")) {
            return (ObjectNode) outer;
        }
        String version = Json.text(outer, "oslo.version");
        if (!RpcVersion.compatible(VERSION, version == null ? "" : version)) {
            throw new UndecodableMessageException("unsupported envelope version '" + version
                    + "'; this peer reads oslo.version 2.0");
        }
        JsonNode message = outer.get("oslo.message");
        if (!message.isTextual()) {
            throw new UndecodableMessageException("oslo.message is not a JSON string");
        }
        try {
            JsonNode inner = Json.parse(message.asText());
            if (inner == null || !inner.isObject()) {
                throw new UndecodableMessageException("oslo.message does not hold a JSON object");
            }
            return (ObjectNode) inner;
        } catch (IOException e) {
            throw new UndecodableMessageException("oslo.message is not JSON: " + e.getMessage(), e);
        }
    }
}
