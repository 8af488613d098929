package dev.ferry.api.parked;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.AMQP;
import dev.ferry.messages.amqp.AmqpValues;
import dev.ferry.messages.Json;
import dev.ferry.messages.OsloEnvelope;
import dev.ferry.messages.Parking;
import dev.ferry.messages.UndecodableMessageException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A message in {@code ferry-parked}: the original's body and properties, plus the {@link Parking} headers
 * a data node added. A message that lacks {@link Parking#ID} (put there by hand) is named by a digest of
 * its body, so it can still be selected. What it shows ({@link #properties()}, {@link #headers()}) are plain values;
 * the client's own properties stay in this package, to publish the original again.
 */
public final class ParkedMessage {
    /** Where a data node keeps the original's TTL (a parked copy must not expire). */
    public static final String ORIGINAL_EXPIRATION = "x-ferry-original-expiration";
    private final AMQP.BasicProperties amqp;
    private final byte[] body;
    private final ParkedProperties properties;
    private final Map<String, Object> headers;

    ParkedMessage(AMQP.BasicProperties amqp, byte[] body) {
        this.amqp = amqp;
        this.body = body;
        this.properties = ParkedProperties.of(amqp);
        this.headers = AmqpValues.table(amqp.getHeaders());
    }

    /** The message as it lies in the queue, e.g. its size. */
    public byte[] body() {
        return body;
    }

    public ParkedProperties properties() {
        return properties;
    }

    public String id() {
        String id = header(Parking.ID);
        return id != null ? id : "unnamed-" + digest(body);
    }

    public String reason() {
        return header(Parking.REASON);
    }

    public String parkedAt() {
        return header(Parking.AT);
    }

    public String parkedBy() {
        return header(Parking.BY);
    }

    public String originalExchange() {
        return header(Parking.ORIGINAL_EXCHANGE);
    }

    public String originalRoutingKey() {
        return header(Parking.ORIGINAL_ROUTING_KEY);
    }

    public String originalQueue() {
        return header(Parking.ORIGINAL_QUEUE);
    }

    /** Its headers, as plain values (text as {@link String}, timestamps as {@link java.time.Instant}). */
    public Map<String, Object> headers() {
        return headers;
    }

    /** The oslo inner message, when the body is one. */
    public Optional<ObjectNode> osloMessage() {
        try {
            return Optional.of(OsloEnvelope.unwrap(properties.contentType(), body));
        } catch (UndecodableMessageException e) {
            return Optional.empty();
        }
    }

    /**
     * The properties to publish it again with: the original's, without the headers Ferry added while it
     * was parked ({@code x-ferry-*}) and without the broker's delivery count, which would make a data node
     * count the old deliveries against the replayed message; with its time to live back if it had one
     * (a data node moves it to {@link #ORIGINAL_EXPIRATION} so that the parked copy never expires).
     */
    AMQP.BasicProperties originalProperties() {
        Map<String, Object> headers = new LinkedHashMap<>();
        Map<String, Object> parked = amqp.getHeaders() == null ? Map.of() : amqp.getHeaders();
        parked.forEach((name, value) -> {
            if (!name.startsWith("x-ferry-") && !name.equals(Parking.BROKER_DELIVERY_COUNT)) {
                headers.put(name, value);
            }
        });
        String expiration = header(ORIGINAL_EXPIRATION);
        return amqp.builder().headers(headers)
                .expiration(expiration != null ? expiration : amqp.getExpiration()).build();
    }

    /** A header as text, or null when absent. */
    public String header(String name) {
        Object value = headers().get(name);
        if (value == null) {
            return null;
        }
        if (value instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        return value.toString();
    }

    static String digest(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** For logs: the request id of the oslo message, if any. */
    public String requestId() {
        return osloMessage().map(m -> Json.text(m, "_context_request_id")).orElse(null);
    }

    /** The oslo method, if the body decodes as an oslo message. */
    public String method() {
        return osloMessage().map(m -> Json.text(m, "method")).orElse(null);
    }
}
