package dev.ferry.data;

import com.rabbitmq.client.AMQP;
import dev.ferry.messages.Parking;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Returns a cast to its queue on a classic queue, which has no delivery count: publishes a copy to the
 * exchange and routing key it came by, with the same properties and {@code x-ferry-deliveries} set to the
 * returns so far, and waits for the broker's confirm. The caller then acks the original.
 */
final class CastRequeue {
    private final ConfirmedPublisher publisher;

    CastRequeue(ConfirmedPublisher publisher) {
        this.publisher = publisher;
    }

    void republish(Delivery delivery, int deliveries) throws IOException {
        publisher.publish(delivery.envelope().getExchange(), delivery.envelope().getRoutingKey(), true,
                counted(delivery.properties(), deliveries), delivery.body());
    }

    static AMQP.BasicProperties counted(AMQP.BasicProperties original, int deliveries) {
        Map<String, Object> headers = new LinkedHashMap<>(original.getHeaders() == null ? Map.of()
                : original.getHeaders());
        headers.put(Parking.DELIVERIES, deliveries);
        return original.builder().headers(headers).build();
    }
}
