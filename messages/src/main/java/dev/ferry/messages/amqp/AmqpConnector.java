package dev.ferry.messages.amqp;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.util.concurrent.TimeoutException;

/** Opens connections as oslo does: heartbeat 60 s, automatic recovery with topology recovery. */
public final class AmqpConnector {
    private final AmqpSettings settings;

    public AmqpConnector(AmqpSettings settings) {
        this.settings = settings;
    }

    public AmqpSettings settings() {
        return settings;
    }

    public Connection open(String connectionName) throws IOException {
        ConnectionFactory factory = new ConnectionFactory();
        try {
            factory.setUri(settings.uri());
        } catch (Exception e) {
            throw new IOException("FERRY_AMQP_URI '" + settings.redactedUri() + "' is not a valid AMQP URI: "
                    + settings.redact(e.getMessage()), null);
        }
        factory.setRequestedHeartbeat(60);
        factory.setAutomaticRecoveryEnabled(true);
        factory.setTopologyRecoveryEnabled(true);
        factory.setNetworkRecoveryInterval(2000);
        factory.setConnectionTimeout(10_000);
        try {
            return factory.newConnection(connectionName);
        } catch (TimeoutException e) {
            throw new IOException("timed out connecting to RabbitMQ at " + settings.redactedUri(), e);
        } catch (IOException e) {
            throw new IOException("cannot connect to RabbitMQ at " + settings.redactedUri()
                    + " (is it running? check FERRY_AMQP_URI): " + settings.redact(e.getMessage()), e);
        }
    }
}
