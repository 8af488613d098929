package dev.ferry.messages.amqp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** FERRY_AMQP_URI names one broker or the nodes of a cluster, separated by commas. */
class BrokerUrisTest {

    @Test
    void oneUriIsOneBroker() {
        assertEquals(List.of("amqp://guest:guest@127.0.0.1:5672/%2F"),
                BrokerUris.parse("amqp://guest:guest@127.0.0.1:5672/%2F").uris());
    }

    @Test
    void aCommaSeparatedListNamesEveryNode() {
        BrokerUris brokers = BrokerUris.parse(
                "amqp://ferry:pw@rabbit-1:5672/ferry, amqp://ferry:pw@rabbit-2:5673/ferry,amqp://ferry:pw@rabbit-3/ferry");
        assertEquals(List.of("amqp://ferry:pw@rabbit-1:5672/ferry", "amqp://ferry:pw@rabbit-2:5673/ferry",
                "amqp://ferry:pw@rabbit-3/ferry"), brokers.uris());
        assertEquals("amqp://ferry:pw@rabbit-1:5672/ferry", brokers.first());
    }

    @Test
    void aListThatMixesLoginsIsRefused() {
        var user = assertThrows(IllegalArgumentException.class, () -> BrokerUris.parse(
                "amqp://ferry:pw@rabbit-1/ferry,amqp://other:pw@rabbit-2/ferry"));
        assertTrue(user.getMessage().contains("different user and password"), user.getMessage());
        var vhost = assertThrows(IllegalArgumentException.class, () -> BrokerUris.parse(
                "amqp://ferry:pw@rabbit-1/ferry,amqp://ferry:pw@rabbit-2/other"));
        assertTrue(vhost.getMessage().contains("different virtual host"), vhost.getMessage());
        var scheme = assertThrows(IllegalArgumentException.class, () -> BrokerUris.parse(
                "amqps://ferry:pw@rabbit-1/ferry,amqp://ferry:pw@rabbit-2/ferry"));
        assertTrue(scheme.getMessage().contains("different scheme"), scheme.getMessage());
        var password = assertThrows(IllegalArgumentException.class, () -> BrokerUris.parse(
                "amqp://ferry:Secret-1@rabbit-1/ferry,amqp://ferry:Secret-2@rabbit-2/ferry"));
        assertFalse(password.getMessage().contains("Secret"), password.getMessage());
    }

    @Test
    void anEmptyOrBrokenEntryIsRefusedWithoutShowingIt() {
        var empty = assertThrows(IllegalArgumentException.class, () -> BrokerUris.parse(
                "amqp://ferry:pw@rabbit-1/ferry,,amqp://ferry:pw@rabbit-2/ferry"));
        assertTrue(empty.getMessage().contains("empty entry"), empty.getMessage());
        var comma = assertThrows(IllegalArgumentException.class, () -> BrokerUris.parse(
                "amqp://ferry:Very,Secret@rabbit-1/ferry"));
        assertFalse(comma.getMessage().contains("Very") || comma.getMessage().contains("Secret"), comma.getMessage());
        assertTrue(comma.getMessage().contains("%2C"), comma.getMessage());
    }

    @Test
    void settingsRefuseAMixedList() {
        assertThrows(IllegalArgumentException.class, () -> new AmqpSettings(
                "amqp://ferry:pw@rabbit-1/ferry,amqp://ferry:pw@rabbit-2/other", "openstack", true));
        assertEquals(3, new AmqpSettings("amqp://a:b@h1/v,amqp://a:b@h2/v,amqp://a:b@h3/v", "openstack", true)
                .brokers().uris().size());
    }
}
