package dev.ferry.messages.amqp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Assertions;

/** The broker password never reaches a log line or an error message. */
class AmqpUriRedactionTest {

    @Test
    void theUriIsShownWithoutItsPassword() {
        AmqpSettings settings = new AmqpSettings("amqps://ferry:s3cr%2Ft@rabbit.example:5671/%2F", "openstack", true);
        assertEquals("amqps://ferry:***@rabbit.example:5671/%2F", settings.redactedUri());
        assertEquals("amqp://rabbit.example/%2F", new AmqpSettings("amqp://rabbit.example/%2F", "openstack", true)
                .redactedUri());
        String scrubbed = settings.redact("bad URI amqps://ferry:s3cr%2Ft@rabbit.example:5671/%2F; password s3cr/t");
        assertFalse(scrubbed.contains("s3cr"), scrubbed);
        assertTrue(scrubbed.startsWith("bad URI amqps://ferry:***@rabbit.example:5671/%2F"), scrubbed);
    }

    @Test
    void anInvalidUriIsRefusedWithoutItsPassword() {
        AmqpConnector connector = new AmqpConnector(new AmqpSettings("amqp://ferry:Very-S3cret@rabbit example:5672/",
                "openstack", true));
        IOException e = Assertions.assertThrows(IOException.class, () -> connector.open("test"));
        assertFalse(e.getMessage().contains("Very-S3cret"), e.getMessage());
        assertTrue(e.getMessage().startsWith("FERRY_AMQP_URI 'amqp://ferry:***@rabbit example:5672/' is not a valid"),
                e.getMessage());
    }

    @Test
    void everyUriOfAListIsShownWithoutItsPassword() {
        String list = "amqp://ferry:s3cr%2Ft@rabbit-1:5672/ferry,amqp://ferry:s3cr%2Ft@rabbit-2:5673/ferry";
        AmqpSettings settings = new AmqpSettings(list, "openstack", true);
        assertEquals("amqp://ferry:***@rabbit-1:5672/ferry,amqp://ferry:***@rabbit-2:5673/ferry",
                settings.redactedUri());
        String scrubbed = settings.redact("cannot reach amqp://ferry:s3cr%2Ft@rabbit-2:5673/ferry (" + list
                + "); password s3cr/t");
        assertFalse(scrubbed.contains("s3cr"), scrubbed);
        assertTrue(scrubbed.startsWith("cannot reach amqp://ferry:***@rabbit-2:5673/ferry"), scrubbed);
        assertFalse(settings.toString().contains("s3cr"), settings.toString());
    }

    @Test
    void noBrokerOfAListAnsweringIsReportedWithoutAPassword() {
        AmqpConnector connector = new AmqpConnector(new AmqpSettings(
                "amqp://ferry:Very-S3cret@127.0.0.1:1/ferry,amqp://ferry:Very-S3cret@127.0.0.1:2/ferry",
                "openstack", true));
        IOException e = Assertions.assertThrows(IOException.class, () -> connector.open("test"));
        assertFalse(e.getMessage().contains("Very-S3cret"), e.getMessage());
        assertTrue(e.getMessage().startsWith("cannot connect to RabbitMQ at amqp://ferry:***@127.0.0.1:1/ferry,"
                + "amqp://ferry:***@127.0.0.1:2/ferry"), e.getMessage());
    }
}
