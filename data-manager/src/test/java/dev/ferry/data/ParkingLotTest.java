package dev.ferry.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.rabbitmq.client.AMQP;
import dev.ferry.messages.Parking;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The properties of parked copies (those of oslo failure replies and transitions: ConfirmPublisherTest). */
class ParkingLotTest {
    private static final AMQP.BasicProperties CALL = new AMQP.BasicProperties.Builder()
            .contentType("application/json").contentEncoding("utf-8").deliveryMode(1).priority(0)
            .expiration("10000").headers(Map.of("trace", "t-1", Parking.BROKER_DELIVERY_COUNT, 3L,
                    Parking.DELIVERIES, 2)).build();

    @Test
    void aParkedCopySaysWhyWhenByWhomAndFromWhere() {
        AMQP.BasicProperties parked = ParkingLot.parkedProperties(CALL, "7d1c", "cannot be read: body is not JSON",
                Instant.parse("2026-11-24T21:16:01.123456Z"), "node-1", "openstack", "manila-data", "manila-data");

        Map<String, Object> headers = parked.getHeaders();
        assertEquals("7d1c", headers.get(Parking.ID));
        assertEquals("cannot be read: body is not JSON", headers.get(Parking.REASON));
        assertEquals("2026-11-24T21:16:01.123Z", headers.get(Parking.AT));
        assertEquals("node-1", headers.get(Parking.BY));
        assertEquals("openstack", headers.get(Parking.ORIGINAL_EXCHANGE));
        assertEquals("manila-data", headers.get(Parking.ORIGINAL_ROUTING_KEY));
        assertEquals("manila-data", headers.get(Parking.ORIGINAL_QUEUE));
        assertEquals("t-1", headers.get("trace"), "the original headers stay");
        assertEquals("application/json", parked.getContentType());
        assertEquals("utf-8", parked.getContentEncoding());
    }

    @Test
    void aParkedCopyNeitherExpiresNorCarriesItsDeliveryCounts() {
        AMQP.BasicProperties parked = ParkingLot.parkedProperties(CALL, "id", "r", Instant.EPOCH, "n", "", "manila-data",
                "manila-data");

        assertNull(parked.getExpiration(), "a parked call would otherwise vanish after its timeout");
        assertEquals("10000", parked.getHeaders().get(ParkingLot.ORIGINAL_EXPIRATION));
        assertEquals(2, parked.getDeliveryMode(), "persistent");
        assertFalse(parked.getHeaders().containsKey(Parking.BROKER_DELIVERY_COUNT), "a replay starts counting afresh");
        assertFalse(parked.getHeaders().containsKey(Parking.DELIVERIES));
    }
}
