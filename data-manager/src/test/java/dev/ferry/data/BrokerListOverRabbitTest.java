package dev.ferry.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Connection;
import dev.ferry.messages.amqp.AmqpConnector;
import dev.ferry.messages.amqp.AmqpSettings;
import java.net.ServerSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** With FERRY_AMQP_URI listing several brokers, a connection goes to one that answers, whichever it is in the list. */
class BrokerListOverRabbitTest {
    private static BrokerVhost vhost;

    @BeforeAll
    static void createVhost() {
        vhost = BrokerVhost.create();
    }

    @AfterAll
    static void deleteVhost() {
        if (vhost != null) {
            vhost.close();
        }
    }

    @Test
    void aBrokerThatDoesNotAnswerIsPassedOver() throws Exception {
        String live = vhost.settings().uri();
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort(); // nothing listens there once the socket is closed
        }
        String dead = live.replace(":5672/", ":" + closed + "/");
        for (String list : new String[] {dead + "," + live, live + "," + dead}) {
            AmqpSettings settings = new AmqpSettings(list, "openstack", true);
            for (int i = 0; i < 3; i++) { // the client tries the addresses in a shuffled order
                try (Connection connection = new AmqpConnector(settings).open("ferry-test-broker-list")) {
                    assertTrue(connection.isOpen());
                    assertEquals(5672, connection.getPort(), list);
                }
            }
        }
    }
}
