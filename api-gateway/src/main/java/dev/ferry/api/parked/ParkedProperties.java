package dev.ferry.api.parked;

import com.rabbitmq.client.AMQP;
import java.time.Instant;

/** A parked message's AMQP properties (but its headers) as plain values; null where the message had none. */
public record ParkedProperties(String contentType, String contentEncoding, Integer deliveryMode, Integer priority,
                               String correlationId, String replyTo, String expiration, String messageId,
                               Instant timestamp, String type, String userId, String appId) {

    static ParkedProperties of(AMQP.BasicProperties p) {
        return new ParkedProperties(p.getContentType(), p.getContentEncoding(), p.getDeliveryMode(), p.getPriority(),
                p.getCorrelationId(), p.getReplyTo(), p.getExpiration(), p.getMessageId(),
                p.getTimestamp() == null ? null : p.getTimestamp().toInstant(), p.getType(), p.getUserId(),
                p.getAppId());
    }
}
