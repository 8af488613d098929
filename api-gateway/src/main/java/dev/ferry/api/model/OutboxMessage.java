package dev.ferry.api.model;

import java.time.LocalDateTime;

/** A cast waiting for (or done with) the outbox relay; {@code body} is the oslo envelope, byte for byte. */
public record OutboxMessage(long id, String exchange, String routingKey, byte[] body, String requestId,
                            LocalDateTime createdAt, LocalDateTime sentAt) {
}
