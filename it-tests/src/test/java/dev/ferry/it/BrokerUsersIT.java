package dev.ferry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;
import dev.ferry.messages.BackupRow;
import dev.ferry.messages.DataQueryRpc;
import dev.ferry.messages.amqp.AmqpSettings;
import dev.ferry.messages.amqp.QueryServer;
import dev.ferry.messages.amqp.RpcClient;
import dev.ferry.messages.amqp.Topology;
import dev.ferry.messages.DataRpc;
import dev.ferry.messages.RequestContext;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The broker users of {@code deploy/rabbitmq/definitions.json}, with exactly the permissions and topic
 * permissions that file gives them (read from it, set on a fresh vhost with rabbitmqctl): the data-node user
 * cannot publish a Manila data cast to {@code manila-data} (nor a verification to {@code ferry-data-verify}, which
 * it consumes), neither through the {@code openstack} exchange nor through the default exchange, nor route its
 * own messages into a queue it declared; and a restore works end
 * to end with the api-gateway and the data node each on its own user (passwords from password files).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrokerUsersIT {
    private static final Path DEFINITIONS = Path.of("..", "deploy", "rabbitmq", "definitions.json");
    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final List<String> users = new ArrayList<>();
    private final String apiPassword = UUID.randomUUID().toString();
    private final String dataPassword = UUID.randomUUID().toString();
    private FerrySystem system;
    private String apiUser;
    private String dataUser;

    @BeforeAll
    void createUsers() throws Exception {
        system = FerrySystem.start("broker-users", true);
        JsonNode definitions = new ObjectMapper().readTree(DEFINITIONS.toFile());
        apiUser = addUser(definitions, "ferry-api", apiPassword);
        dataUser = addUser(definitions, "ferry-data", dataPassword);
    }

    /** Adds a uniquely named copy of the user {@code name} with that user's permissions on the test's vhost. */
    private String addUser(JsonNode definitions, String name, String password) throws Exception {
        String user = name + "-it-" + suffix;
        Services.rabbitmqctl("add_user", user, password);
        users.add(user);
        int found = 0;
        for (JsonNode p : definitions.get("permissions")) {
            if (p.get("user").asText().equals(name)) {
                Services.rabbitmqctl("set_permissions", "-p", system.vhost, user, p.get("configure").asText(),
                        p.get("write").asText(), p.get("read").asText());
                found++;
            }
        }
        for (JsonNode p : definitions.get("topic_permissions")) {
            if (p.get("user").asText().equals(name)) {
                Services.rabbitmqctl("set_topic_permissions", "-p", system.vhost, user, p.get("exchange").asText(),
                        p.get("write").asText(), p.get("read").asText());
                found++;
            }
        }
        assertEquals(2, found, "definitions.json gives " + name + " permissions and topic permissions");
        return user;
    }

    @AfterAll
    void cleanUp() throws Exception {
        try {
            if (system != null) {
                system.close();
            }
        } finally {
            for (String user : users) {
                Services.rabbitmqctl("delete_user", user);
            }
        }
    }

    private String uri(String user) {
        return "amqp://" + user + "@127.0.0.1:5672/" + URLEncoder.encode(system.vhost, StandardCharsets.UTF_8);
    }

    private Connection connect(String user, String password) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(uri(user));
        factory.setPassword(password);
        return factory.newConnection("broker-users-it");
    }

    private Map<String, String> brokerUser(String user, String password) throws IOException {
        Path file = Files.writeString(system.root.resolve(user + ".password"), password + "\n");
        return Map.of("FERRY_AMQP_URI", uri(user), "FERRY_AMQP_PASSWORD_FILE", file.toString());
    }

    /** Publishes in confirm mode and returns how the broker answered: "confirmed" or the channel's close reason. */
    private static String publish(Connection connection, String exchange, String routingKey, byte[] body)
            throws Exception {
        Channel channel = connection.createChannel();
        channel.confirmSelect();
        channel.basicPublish(exchange, routingKey, true, new AMQP.BasicProperties.Builder()
                .contentType("application/json").contentEncoding("utf-8").deliveryMode(2).build(), body);
        try {
            channel.waitForConfirmsOrDie(10_000);
            channel.close();
            return "confirmed";
        } catch (ShutdownSignalException | IOException e) {
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !channel.isOpen());
            return closeReason(channel.getCloseReason());
        }
    }

    private static String closeReason(ShutdownSignalException signal) {
        return signal.getReason() instanceof AMQP.Channel.Close close
                ? close.getReplyCode() + " " + close.getReplyText() : String.valueOf(signal.getMessage());
    }

    /** How many consumers {@code queue} has, asked as guest. */
    private long consumers(String queue) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(Services.amqpUri(system.vhost));
        try (Connection guest = factory.newConnection("broker-users-it-check");
             Channel channel = guest.createChannel()) {
            return channel.queueDeclarePassive(queue).getConsumerCount();
        }
    }

    private long manilaDataMessages() throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(Services.amqpUri(system.vhost));
        try (Connection guest = factory.newConnection("broker-users-it-check");
             Channel channel = guest.createChannel()) {
            return channel.queueDeclarePassive(DataRpc.TOPIC).getMessageCount();
        }
    }

    @Test
    void theDataNodeUserCannotCastToManilaDataAndEachProcessWorksWithItsOwnUser() throws Exception {
        // the gateway on its own user declares Ferry's queues (its permission to do so is what is checked here)
        system.api().stop(Duration.ofSeconds(30));
        FerryProcess api = system.startApi(brokerUser(apiUser, apiPassword));
        api.awaitLog("serving ferry-state and ferry-status", Duration.ofSeconds(30));

        BackupRow row = new BackupRow("b-forged", "mallory", "evil", "s-victim", 1, null, "manila-data", null, null,
                "100", "0", "available", null, null, null, null, null);
        byte[] cast = DataRpc.restoreBackup(row, "s-mallory",
                RequestContext.of("mallory", "evil", false, List.of("member"))).toBytes();
        try (Connection data = connect(dataUser, dataPassword)) {
            String viaTopic = publish(data, "openstack", DataRpc.TOPIC, cast);
            String viaDefault = publish(data, "", DataRpc.TOPIC, cast);
            assertTrue(viaTopic.startsWith("403 ACCESS_REFUSED"), "through openstack: " + viaTopic);
            assertTrue(viaTopic.contains("manila-data"), viaTopic);
            assertTrue(viaDefault.startsWith("403 ACCESS_REFUSED") && viaDefault.contains("amq.default"),
                    "through the default exchange: " + viaDefault);
            // nor a verification to ferry-data-verify
            byte[] verify = DataRpc.verifyBackup(row, RequestContext.of("mallory", "evil", false, List.of("member")))
                    .toBytes();
            String verifyViaTopic = publish(data, "openstack", DataRpc.VERIFY_TOPIC, verify);
            String verifyViaDefault = publish(data, "", DataRpc.VERIFY_TOPIC, verify);
            assertTrue(verifyViaTopic.startsWith("403 ACCESS_REFUSED") && verifyViaTopic.contains(DataRpc.VERIFY_TOPIC),
                    "a verification through openstack: " + verifyViaTopic);
            assertTrue(verifyViaDefault.startsWith("403 ACCESS_REFUSED"),
                    "a verification through the default exchange: " + verifyViaDefault);

            // nor can it route its own messages into a queue it may declare (one that would dead-letter them)
            Channel own = data.createChannel();
            String reply = "reply_" + UUID.randomUUID().toString().replace("-", "");
            own.queueDeclare(reply, false, false, true, Map.of("x-expires", 60_000));
            try {
                own.queueBind(reply, "openstack", "ferry-parked");
            } catch (IOException e) {
                // refused: the channel is closed with the reason
            }
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !own.isOpen());
            String bind = closeReason(own.getCloseReason());
            assertTrue(bind.startsWith("403 ACCESS_REFUSED"), "binding its queue to openstack: " + bind);

            // what a data node does publish is accepted
            assertEquals("confirmed", publish(data, "openstack", "ferry-status",
                    dev.ferry.messages.StatusRpc.Transition.progress("no-such-job", 1, "n", 5)
                            .toRequest(RequestContext.service("n", null)).toBytes()));
        }
        assertEquals(0, manilaDataMessages(), "no forged cast reached manila-data");

        FerryProcess node = system.startDataNode("node-1", brokerUser(dataUser, dataPassword));
        assertTrue(node.log().contains("may not declare Ferry's exchange and queues"), node.tail());
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> consumers(DataRpc.VERIFY_TOPIC) == 1);

        ApiClient alice = system.user("alice", "p1");
        Path a = system.newExport("a");
        Files.writeString(a.resolve("f.txt"), "payload\n");
        Files.createDirectories(a.resolve("dir"));
        Files.writeString(a.resolve("dir/g.txt"), "more\n");
        String shareA = system.manageShare("a", "NFS", a, 1, "p1");
        String backup = system.createBackup(alice, shareA);
        String shareB = system.manageShare("b", "NFS", system.newExport("b"), 1, "p1");
        assertEquals(202, alice.post("/v2/share-backups/" + backup + "/action", Map.of("restore", shareB)).status());
        system.awaitShare(shareB, "available", Duration.ofSeconds(60));
        system.awaitBackup(backup, "available", Duration.ofSeconds(30));
        assertEquals(TreeSnapshot.of(a), TreeSnapshot.of(system.exports.resolve("b")),
                "the restore ran with the gateway and the node each on its own broker user");
    }

    /**
     * Browse and the paths of a selective restore are calls from the api-gateway to any data node on
     * {@code ferry-data-query}: the gateway's user binds its reply queue to {@code openstack} under its own name, and
     * the data node's user, which may not publish to the default exchange, answers through {@code openstack}.
     */
    @Test
    void dataNodesAnswerTheGatewaysQueriesEachOnItsOwnUser() throws Exception {
        Topology topology = new Topology(new AmqpSettings(Services.amqpUri(system.vhost), "openstack", true));
        try (Connection gateway = connect(apiUser, apiPassword);
             Connection data = connect(dataUser, dataPassword);
             QueryServer server = new QueryServer(data, topology.checkingOnly(), DataQueryRpc.TOPIC, 2,
                     request -> new DataQueryRpc.Page(List.of(new DataQueryRpc.File("docs/a.txt", "file", 1, 0644,
                             0, "crc32c:00000000")), false).toResult());
             RpcClient client = new RpcClient(gateway, topology, true)) {
            JsonNode answer = client.call(DataQueryRpc.TOPIC, new DataQueryRpc.Browse("b1", "docs", 10, 0)
                    .toRequest(RequestContext.service("api", null)), Duration.ofSeconds(10));
            assertEquals("docs/a.txt", DataQueryRpc.Page.fromResult(answer).files().get(0).path());

            // the data node's user may answer a reply queue through openstack, but still not reach manila-data
            String viaTopic = publish(data, "openstack", DataRpc.TOPIC, "{}".getBytes(StandardCharsets.UTF_8));
            assertTrue(viaTopic.startsWith("403 ACCESS_REFUSED"), "through openstack: " + viaTopic);
        }
    }
}
