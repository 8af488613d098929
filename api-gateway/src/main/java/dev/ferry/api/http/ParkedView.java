package dev.ferry.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.api.parked.ParkedMessage;
import dev.ferry.api.parked.ParkedProperties;
import dev.ferry.messages.Json;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** A parked message as the admin API shows it: a summary in lists; headers, properties and body in detail. */
public final class ParkedView {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ParkedView() {
    }

    public static ObjectNode summary(ParkedMessage message) {
        ObjectNode view = Json.object();
        view.put("id", message.id());
        view.put("reason", message.reason());
        view.put("parked_at", message.parkedAt());
        view.put("parked_by", message.parkedBy());
        view.put("original_exchange", message.originalExchange());
        view.put("original_routing_key", message.originalRoutingKey());
        view.put("original_queue", message.originalQueue());
        view.put("method", message.method());
        view.put("request_id", message.requestId());
        view.put("content_type", message.properties().contentType());
        view.put("size", message.body().length);
        return view;
    }

    public static ObjectNode detail(ParkedMessage message) {
        ObjectNode view = summary(message);
        ObjectNode headers = view.putObject("headers");
        message.headers().forEach((name, value) -> headers.set(name, value(value)));
        view.set("properties", properties(message.properties()));
        String text = utf8(message.body());
        if (text != null) {
            view.put("body", text);
            view.put("body_encoding", "utf-8");
        } else {
            view.put("body", Base64.getEncoder().encodeToString(message.body()));
            view.put("body_encoding", "base64");
        }
        view.set("message", message.osloMessage().<JsonNode>map(m -> m).orElse(NODES.nullNode()));
        return view;
    }

    private static ObjectNode properties(ParkedProperties p) {
        ObjectNode view = Json.object();
        view.put("content_type", p.contentType());
        view.put("content_encoding", p.contentEncoding());
        view.set("delivery_mode", value(p.deliveryMode()));
        view.set("priority", value(p.priority()));
        view.put("correlation_id", p.correlationId());
        view.put("reply_to", p.replyTo());
        view.put("expiration", p.expiration());
        view.put("message_id", p.messageId());
        view.set("timestamp", value(p.timestamp()));
        view.put("type", p.type());
        view.put("user_id", p.userId());
        view.put("app_id", p.appId());
        return view;
    }

    /** A header value as JSON: text as text, tables as objects, timestamps as ISO text, byte arrays as base64. */
    static JsonNode value(Object value) {
        if (value == null) {
            return NODES.nullNode();
        }
        if (value instanceof String text) {
            return NODES.textNode(text);
        }
        if (value instanceof Boolean flag) {
            return NODES.booleanNode(flag);
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return NODES.numberNode(((Number) value).longValue());
        }
        if (value instanceof Float || value instanceof Double) {
            return NODES.numberNode(((Number) value).doubleValue());
        }
        if (value instanceof BigDecimal decimal) {
            return NODES.numberNode(decimal);
        }
        if (value instanceof Instant instant) {
            return NODES.textNode(instant.toString());
        }
        if (value instanceof byte[] bytes) {
            return NODES.textNode(Base64.getEncoder().encodeToString(bytes));
        }
        if (value instanceof Map<?, ?> table) {
            ObjectNode object = Json.object();
            table.forEach((k, v) -> object.set(String.valueOf(k), value(v)));
            return object;
        }
        if (value instanceof List<?> list) {
            ArrayNode array = NODES.arrayNode();
            list.forEach(v -> array.add(value(v)));
            return array;
        }
        return NODES.textNode(value.toString());
    }

    private static String utf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
