package dev.ferry.messages.amqp;

import com.rabbitmq.client.Address;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * Opens connections as oslo does: heartbeat 60 s, automatic recovery with topology recovery. {@code amqps://}
 * verifies the broker's certificate ({@link BrokerTrust}) and its host name before anything is sent, so a
 * broker that cannot prove it is the one named in the URI never sees the password. When {@code FERRY_AMQP_URI} lists
 * several nodes of a cluster, the connection goes to the first that answers (in the client's shuffled order), and
 * automatic recovery reconnects to any node that is left, re-declaring the queues and consumers.
 */
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
        List<Address> addresses = new ArrayList<>();
        try {
            for (String one : settings.brokers().uris()) {
                if (settings.tls()) {
                    // the client's own amqps:// handling would install a trust-everything manager: set TLS up here
                    URI uri = new URI(one);
                    factory.setUri("amqp" + one.substring(uri.getScheme().length()));
                    factory.setPort(uri.getPort() == -1 ? ConnectionFactory.DEFAULT_AMQP_OVER_SSL_PORT
                            : uri.getPort());
                } else {
                    factory.setUri(one);
                }
                addresses.add(new Address(factory.getHost(), factory.getPort()));
            }
            // the user, password and virtual host are the same in every URI; the first one's host stays set
            factory.setUri(settings.tls() ? "amqp" + settings.brokers().first().substring("amqps".length())
                    : settings.brokers().first());
            if (settings.tls()) {
                factory.setPort(addresses.get(0).getPort());
            }
        } catch (Exception e) {
            throw new IOException("FERRY_AMQP_URI '" + settings.redactedUri() + "' is not a valid AMQP URI: "
                    + settings.redact(e.getMessage()), null);
        }
        if (settings.password() != null) {
            factory.setPassword(settings.password());
        }
        if (settings.tls()) {
            factory.useSslProtocol(BrokerTrust.context(settings.caFile()));
            factory.enableHostnameVerification();
        }
        factory.setRequestedHeartbeat(60);
        factory.setAutomaticRecoveryEnabled(true);
        factory.setTopologyRecoveryEnabled(true);
        factory.setNetworkRecoveryInterval(2000);
        factory.setConnectionTimeout(10_000);
        try {
            return addresses.size() == 1 ? factory.newConnection(connectionName)
                    : factory.newConnection(addresses, connectionName);
        } catch (TimeoutException e) {
            throw new IOException("timed out connecting to RabbitMQ at " + settings.redactedUri(), e);
        } catch (IOException e) {
            if (settings.tls() && TlsRefusal.in(e)) {
                throw new IOException("refused the TLS connection to RabbitMQ at " + factory.getHost() + ":"
                        + factory.getPort() + ": its certificate " + TlsRefusal.describe(e) + "; nothing was sent. "
                        + (settings.caFile() == null
                        ? "Set FERRY_AMQP_CA_FILE to the PEM file of the CA that signed the broker's certificate"
                        : "Check FERRY_AMQP_CA_FILE ('" + settings.caFile() + "') names the CA that signed it")
                        + ", and that the host in FERRY_AMQP_URI is a name the certificate lists", e);
            }
            throw new IOException("cannot connect to RabbitMQ at " + settings.redactedUri()
                    + " (is it running? check FERRY_AMQP_URI): " + settings.redact(e.getMessage()), e);
        }
    }
}
