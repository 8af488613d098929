package dev.ferry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import dev.ferry.messages.BackupRow;
import dev.ferry.messages.DataRpc;
import dev.ferry.messages.Json;
import dev.ferry.messages.OsloEnvelope;
import dev.ferry.messages.RequestContext;
import dev.ferry.messages.RpcReply;
import dev.ferry.messages.RpcRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Fault: poison messages of every kind on manila-data, and a valid cast delivered too many times
 * (its claims fail while the api-gateway is down). Checked: each is parked with its reason, the node
 * keeps serving, an oslo caller gets UnsupportedVersion, and replaying the fixed message (with
 * {@code ferry parked replay}) completes its restore; {@code ferry parked purge --all} empties the queue.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PoisonMessagesFaultIT {
    private FerrySystem system;
    private FerryProcess node;

    abstract boolean quorum();

    @BeforeAll
    void startSystem() throws Exception {
        system = FerrySystem.start(quorum() ? "poison-quorum" : "poison-classic", quorum());
        node = system.startDataNode("node-1", Map.of("FERRY_MAX_DELIVERIES", "3", "FERRY_CLAIM_TIMEOUT_SECONDS", "2"));
    }

    @AfterAll
    void stopSystem() throws Exception {
        if (system != null) {
            system.close();
        }
    }

    private static AMQP.BasicProperties props(String contentType) {
        return new AMQP.BasicProperties.Builder().contentType(contentType).contentEncoding("utf-8").deliveryMode(2)
                .build();
    }

    private List<JsonNode> parked() throws Exception {
        ApiClient.Response response = system.admin().get("/admin/parked");
        assertEquals(200, response.status(), response::toString);
        List<JsonNode> list = new ArrayList<>();
        response.body().get("parked").forEach(list::add);
        return list;
    }

    private FerryProcess cli(String... args) throws Exception {
        return FerryProcess.start("cli-" + String.join("-", args).replace('/', '_'), system.root,
                Map.of("FERRY_API_URL", system.baseUrl(), "FERRY_API_TOKEN", "admin:admin"), args);
    }

    @Test
    void poisonIsParkedWithItsReasonAndAFixedMessageReplays() throws Exception {
        ApiClient alice = system.user("alice", "p1");
        Path a = system.newExport("a");
        Files.writeString(a.resolve("f.txt"), "payload\n");
        String shareA = system.manageShare("a", "NFS", a, 1, "p1");
        String backup = system.createBackup(alice, shareA);
        String shareB = system.manageShare("b", "NFS", system.newExport("b"), 1, "p1");
        JsonNode view = system.backup(backup);
        BackupRow row = new BackupRow(backup, "alice", "p1", shareA, view.get("size").asLong(), null, "manila-data",
                null, null, "100", "0", "available", null, null, null, null, null);
        RequestContext context = RequestContext.of("alice", "p1", false, List.of("member", "reader"));

        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(Services.amqpUri(system.vhost));
        try (Connection connection = factory.newConnection("ferry-it-poison");
             Channel channel = connection.createChannel()) {
            String replyQueue = channel.queueDeclare().getQueue();
            Map<String, String> expected = new LinkedHashMap<>();
            byte[] valid = DataRpc.restoreBackup(row, shareB, context).toBytes();
            publish(channel, "application/json", "{not json".getBytes(StandardCharsets.UTF_8));
            expected.put("bad JSON", "json");
            publish(channel, "text/plain", valid);
            expected.put("wrong content type", "content type");
            publish(channel, "application/json",
                    "{\"oslo.version\": \"3.0\", \"oslo.message\": \"{}\"}".getBytes(StandardCharsets.UTF_8));
            expected.put("envelope version", "version");
            publish(channel, "application/json",
                    RpcRequest.cast("migration_start", Json.object(), "1.0", context).toBytes());
            expected.put("unknown method", "migration_start");
            ObjectNode newer = DataRpc.restoreBackup(row, shareB, context).asCall(replyQueue).toInner();
            newer.put("version", "1.2");
            publish(channel, "application/json", OsloEnvelope.wrap(newer));
            expected.put("unsupported version (a call)", "1.2");
            ObjectNode missing = DataRpc.restoreBackup(row, shareB, context).toInner();
            ((ObjectNode) missing.get("args")).remove("share_id");
            publish(channel, "application/json", OsloEnvelope.wrap(missing));
            expected.put("missing argument", "share_id");
            ObjectNode extra = DataRpc.restoreBackup(row, shareB, context).toInner();
            ((ObjectNode) extra.get("args")).put("bogus", 1);
            publish(channel, "application/json", OsloEnvelope.wrap(extra));
            expected.put("extra argument", "bogus");

            Awaitility.await("7 parked messages").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> parked().size() == expected.size());
            List<JsonNode> parked = parked();
            List<String> reasons = parked.stream().map(p -> p.get("reason").asText()).toList();
            for (Map.Entry<String, String> kind : expected.entrySet()) {
                assertTrue(reasons.stream().anyMatch(r -> r.toLowerCase().contains(kind.getValue().toLowerCase())),
                        kind.getKey() + " is parked with a reason naming '" + kind.getValue() + "': " + reasons);
            }
            AtomicReference<GetResponse> reply = new AtomicReference<>();
            Awaitility.await("the oslo caller's reply").atMost(Duration.ofSeconds(10))
                    .until(() -> (reply.updateAndGet(r -> r != null ? r : get(channel, replyQueue))) != null);
            RpcReply failure = RpcReply.decode(reply.get().getProps().getContentType(), reply.get().getBody());
            assertEquals("UnsupportedVersion", failure.failure().className());
            assertTrue(node.isAlive(), "the node keeps running");

            // The node keeps serving: an ordinary restore completes.
            assertEquals(202, alice.post("/v2/share-backups/" + backup + "/action", Map.of("restore", shareB)).status());
            system.awaitShare(shareB, "available", Duration.ofSeconds(60));
            system.awaitBackup(backup, "available", Duration.ofSeconds(30));

            // Too many deliveries: a valid cast whose claim cannot be made while the api-gateway is down.
            String shareC = system.manageShare("c", "NFS", system.newExport("c"), 1, "p1");
            system.api().stop(Duration.ofSeconds(30));
            publish(channel, "application/json", DataRpc.restoreBackup(row, shareC, context).toBytes());
            Awaitility.await("the undeliverable cast is parked").atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> node.log().lines().filter(l -> l.contains("parked message")).count()
                            == expected.size() + 1);
            system.startApi();
            JsonNode undeliverable = parked().stream()
                    .filter(p -> p.get("reason").asText().toLowerCase().contains("deliver")).findFirst()
                    .orElseThrow(() -> new AssertionError("no parked message for too many deliveries"));
            System.out.printf("poison (%s queues): parked %d messages: %s%n", quorum() ? "quorum" : "classic",
                    expected.size() + 1, parked().stream().map(p -> p.get("reason").asText()).toList());

            FerryProcess replay = cli("parked", "replay", undeliverable.get("id").asText());
            assertEquals(0, replay.awaitExit(Duration.ofSeconds(60)), replay.log());
            assertTrue(replay.log().contains("replayed 1"), replay.log());
            system.awaitShare(shareC, "available", Duration.ofSeconds(60));
            assertEquals(TreeSnapshot.of(a), TreeSnapshot.of(system.exports.resolve("c")),
                    "the replayed cast restored the backup into share c");

            FerryProcess purge = cli("parked", "purge", "--all");
            assertEquals(0, purge.awaitExit(Duration.ofSeconds(60)), purge.log());
            assertTrue(purge.log().contains("purged " + expected.size()), purge.log());
            assertEquals(0, parked().size());
        }
    }

    private static GetResponse get(Channel channel, String queue) {
        try {
            return channel.basicGet(queue, true);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void publish(Channel channel, String contentType, byte[] body) throws Exception {
        channel.basicPublish("openstack", "manila-data", props(contentType), body);
    }
}

class QuorumPoisonMessagesFaultIT extends PoisonMessagesFaultIT {
    @Override
    boolean quorum() {
        return true;
    }
}

class ClassicPoisonMessagesFaultIT extends PoisonMessagesFaultIT {
    @Override
    boolean quorum() {
        return false;
    }
}
