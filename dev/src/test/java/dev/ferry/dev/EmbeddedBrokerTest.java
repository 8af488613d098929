package dev.ferry.dev;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import dev.ferry.messages.Json;
import dev.ferry.messages.RequestContext;
import dev.ferry.messages.RpcRequest;
import dev.ferry.messages.amqp.AmqpConnector;
import dev.ferry.messages.amqp.AmqpSettings;
import dev.ferry.messages.amqp.ConfirmPublisher;
import dev.ferry.messages.amqp.RpcClient;
import dev.ferry.messages.amqp.RpcServer;
import dev.ferry.messages.amqp.Topology;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ferry's own AMQP transport, in classic mode, against the embedded Qpid broker. */
class EmbeddedBrokerTest {
    private static final long WAIT_S = 10;

    @TempDir
    Path workDir;

    @Test
    void carriesFerrysTransportAndReleasesThePort() throws Exception {
        int port = freePort();
        EmbeddedBroker broker = EmbeddedBroker.start(port, workDir.resolve("qpid"));
        try {
            assertEquals(port, broker.port());
            assertEquals("amqp://guest:guest@127.0.0.1:" + port + "/%2F", broker.amqpUri());

            // A second broker on the same port fails loudly instead of half-starting.
            IOException taken = assertThrows(IOException.class,
                    () -> EmbeddedBroker.start(port, workDir.resolve("qpid-2")).close());
            assertTrue(taken.getMessage().contains(Integer.toString(port)), taken.getMessage());

            AmqpSettings settings = new AmqpSettings(broker.amqpUri(), "openstack", false);
            Topology topology = new Topology(settings);
            try (Connection connection = new AmqpConnector(settings).open("embedded-broker-test")) {
                Channel declarations = connection.createChannel();
                topology.declareExchange(declarations);
                topology.declareOsloQueue(declarations, "manila-data");
                topology.declareFerryQueue(declarations, "ferry-status");
                // Declaring twice with the same flags is a no-op, as on RabbitMQ.
                topology.declareOsloQueue(declarations, "manila-data");

                // oslo's reply queue (x-expires: 1800000) is accepted.
                topology.declareReplyQueue(declarations, "reply_embedded_test");
                assertEquals(0, declarations.queueDeclarePassive("reply_embedded_test").getMessageCount());

                callsAndRetries(connection, topology);
                castsExactBytes(connection, settings);
                discardsRejectedAndNacked(connection, topology);
                returnsUnroutableMandatoryPublishes(connection);
            }
        } finally {
            broker.close();
        }
        broker.close(); // idempotent
        try (ServerSocket again = new ServerSocket()) {
            again.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        }
    }

    /** RpcServer echoes; a handler failure is nacked, requeued once and served on redelivery. */
    private static void callsAndRetries(Connection connection, Topology topology) throws Exception {
        AtomicInteger flakyAttempts = new AtomicInteger();
        RpcServer server = new RpcServer(connection, topology, "ferry-state", 4, request -> {
            if (request.method().equals("flaky") && flakyAttempts.incrementAndGet() == 1) {
                throw new IllegalStateException("database away (test)");
            }
            ObjectNode echo = Json.object();
            echo.put("method", request.method());
            echo.set("args", request.args());
            return echo;
        });
        try (server; RpcClient client = new RpcClient(connection, topology)) {
            ObjectNode args = Json.object();
            args.put("backup_id", "b-1");
            args.put("size", 42);
            JsonNode result = client.call("ferry-state", RpcRequest.cast("echo", args, "1.0", context()),
                    Duration.ofSeconds(WAIT_S));
            assertEquals("echo", result.get("method").asText());
            assertEquals(args, result.get("args"));

            JsonNode retried = client.call("ferry-state", RpcRequest.cast("flaky", Json.object(), "1.0", context()),
                    Duration.ofSeconds(WAIT_S));
            assertEquals("flaky", retried.get("method").asText());
            assertEquals(2, flakyAttempts.get());

            // An unreadable request is rejected (dropped) and the server goes on serving.
            Channel raw = connection.createChannel();
            raw.confirmSelect();
            raw.basicPublish("openstack", "ferry-state", false,
                    new AMQP.BasicProperties.Builder().contentType("application/json").build(),
                    "not json".getBytes(StandardCharsets.UTF_8));
            raw.waitForConfirmsOrDie(TimeUnit.SECONDS.toMillis(WAIT_S));
            JsonNode after = client.call("ferry-state", RpcRequest.cast("echo", args, "1.0", context()),
                    Duration.ofSeconds(WAIT_S));
            assertEquals(args, after.get("args"));
            raw.close();
        }
    }

    /** A confirmed cast reaches a plain prefetch-1 consumer byte for byte; the consumer cancels. */
    private static void castsExactBytes(Connection connection, AmqpSettings settings) throws Exception {
        ObjectNode args = Json.object();
        args.put("backup_id", "b-2");
        args.put("note", "non-ASCII survives: åäö ✓");
        RpcRequest cast = RpcRequest.cast("restore_backup", args, "1.0", context());
        byte[] expected = cast.toBytes();
        try (ConfirmPublisher publisher = new ConfirmPublisher(connection)) {
            publisher.publishOslo(settings.exchange(), "manila-data", false, cast.toBytes());
        }

        Channel channel = connection.createChannel();
        channel.basicQos(1);
        CompletableFuture<byte[]> delivered = new CompletableFuture<>();
        CompletableFuture<AMQP.BasicProperties> properties = new CompletableFuture<>();
        CompletableFuture<String> cancelled = new CompletableFuture<>();
        String tag = channel.basicConsume("manila-data", false, new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties props,
                                       byte[] body) throws IOException {
                getChannel().basicAck(envelope.getDeliveryTag(), false);
                properties.complete(props);
                delivered.complete(body);
            }

            @Override
            public void handleCancelOk(String consumerTag) {
                cancelled.complete(consumerTag);
            }
        });
        assertArrayEquals(expected, delivered.get(WAIT_S, TimeUnit.SECONDS));
        AMQP.BasicProperties props = properties.get(WAIT_S, TimeUnit.SECONDS);
        assertEquals("application/json", props.getContentType());
        assertEquals("utf-8", props.getContentEncoding());
        assertEquals(2, props.getDeliveryMode());
        channel.basicCancel(tag);
        assertEquals(tag, cancelled.get(WAIT_S, TimeUnit.SECONDS));
        assertEquals(0, channel.queueDeclarePassive("manila-data").getMessageCount());
        channel.close();
    }

    /**
     * {@code basic.reject} and {@code basic.nack} with requeue=false drop the message, as on RabbitMQ:
     * behind each dropped message sits a marker, and the consumer sees each message exactly once.
     */
    private static void discardsRejectedAndNacked(Connection connection, Topology topology) throws Exception {
        Channel channel = connection.createChannel();
        channel.confirmSelect();
        topology.declareFerryQueue(channel, "ferry-poison");
        for (String body : new String[] {"reject-me", "nack-me", "requeue-me", "marker"}) {
            channel.basicPublish(topology.exchange(), "ferry-poison", false, new AMQP.BasicProperties(),
                    body.getBytes(StandardCharsets.UTF_8));
        }
        channel.waitForConfirmsOrDie(TimeUnit.SECONDS.toMillis(WAIT_S));

        channel.basicQos(1);
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Void> markerSeen = new CompletableFuture<>();
        channel.basicConsume("ferry-poison", false, new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties props,
                                       byte[] body) throws IOException {
                String text = new String(body, StandardCharsets.UTF_8);
                seen.add(text + (envelope.isRedeliver() ? "(redelivered)" : ""));
                long tag = envelope.getDeliveryTag();
                switch (text) {
                    case "reject-me" -> getChannel().basicReject(tag, false);
                    case "nack-me" -> getChannel().basicNack(tag, false, false);
                    case "requeue-me" -> {
                        if (envelope.isRedeliver()) {
                            getChannel().basicAck(tag, false);
                        } else {
                            getChannel().basicNack(tag, false, true);
                        }
                    }
                    default -> {
                        getChannel().basicAck(tag, false);
                        markerSeen.complete(null);
                    }
                }
            }
        });
        markerSeen.get(WAIT_S, TimeUnit.SECONDS);
        assertEquals(List.of("reject-me", "nack-me", "requeue-me", "requeue-me(redelivered)", "marker"),
                seen);
        assertEquals(0, channel.queueDeclarePassive("ferry-poison").getMessageCount());
        channel.close();
    }

    /** A mandatory publish to the default exchange with no such queue comes back (basic.return). */
    private static void returnsUnroutableMandatoryPublishes(Connection connection) throws Exception {
        Channel channel = connection.createChannel();
        CompletableFuture<Integer> returned = new CompletableFuture<>();
        channel.addReturnListener(r -> returned.complete(r.getReplyCode()));
        channel.basicPublish("", "reply_nobody_listens", true, new AMQP.BasicProperties(),
                "{}".getBytes(StandardCharsets.UTF_8));
        assertEquals(312, returned.get(WAIT_S, TimeUnit.SECONDS)); // NO_ROUTE
        assertTrue(channel.isOpen());
        channel.close();
    }

    private static RequestContext context() {
        return RequestContext.service("embedded-broker-test", RequestContext.newRequestId());
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return probe.getLocalPort();
        }
    }
}
