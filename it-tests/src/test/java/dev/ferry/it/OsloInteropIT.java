package dev.ferry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import dev.ferry.messages.RpcRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Ferry and real oslo.messaging peers (Debian's python3-oslo.messaging 14) on one broker, both ways:
 * an oslo client's restore_backup cast is done by Ferry's data node, and an oslo server on
 * manila-data receives Ferry's cast with Manila's method, arguments, version and context.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class OsloInteropIT {
    private FerrySystem system;
    private ApiClient alice;

    /** Ferry's FERRY_AMQP_QUORUM, and oslo's rabbit_quorum_queue, for this run. */
    abstract boolean quorum();

    @BeforeAll
    void startSystem() throws Exception {
        system = FerrySystem.start(quorum() ? "oslo-quorum" : "oslo-classic", quorum());
        alice = system.user("alice", "p1");
    }

    @AfterAll
    void stopSystem() throws Exception {
        if (system != null) {
            system.close();
        }
    }

    private Map<String, Object> osloArgs() {
        Map<String, Object> args = new HashMap<>();
        args.put("url", Services.osloUrl(system.vhost));
        args.put("exchange", "openstack");
        args.put("quorum", quorum());
        return args;
    }

    @Test
    void anOsloClientsRestoreCastIsDoneByFerry() throws Exception {
        Path a = system.newExport("from-oslo-a");
        Files.writeString(a.resolve("ledger.txt"), "from manila's client\n");
        Files.createDirectories(a.resolve("sub"));
        Files.writeString(a.resolve("sub/é.txt"), "accent\n");
        String shareA = system.manageShare("from-oslo-a", "NFS", a, 1, "p1");
        String shareB = system.manageShare("from-oslo-b", "NFS", system.newExport("from-oslo-b"), 1, "p1");
        String backup;
        try (FerryProcess node = system.startDataNode("node-oslo-1", Map.of())) {
            backup = system.createBackup(alice, shareA);
            JsonNode view = system.backup(backup);
            Map<String, Object> row = new HashMap<>();
            row.put("id", backup);
            row.put("share_id", shareA);
            row.put("project_id", "p1");
            row.put("user_id", "alice");
            row.put("size", view.get("size").asInt());
            row.put("status", "available");
            row.put("topic", "manila-data");
            row.put("display_name", view.get("name").asText());
            row.put("deleted", "False");
            Map<String, Object> args = osloArgs();
            args.put("backup", row);
            args.put("share_id", shareB);
            args.put("context", Map.of("user_id", "alice", "project_id", "p1", "is_admin", false,
                    "roles", List.of("member", "reader"), "request_id", "req-0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"));
            try (OsloPeer client = OsloPeer.run("oslo_cast_restore.py", args, system.root)) {
                assertEquals(0, client.awaitExit(Duration.ofSeconds(60)), client.output());
            }
            system.awaitShare(shareB, "available", Duration.ofSeconds(60));
            Awaitility.await("restore finished").atMost(Duration.ofSeconds(60))
                    .until(() -> "100".equals(system.backup(backup).get("restore_progress").asText()));
            assertEquals(TreeSnapshot.of(a), TreeSnapshot.of(system.exports.resolve("from-oslo-b")));
            assertEquals(backup, system.share(shareB).get("source_backup_id").asText());
            assertTrue(node.log().contains("req-0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"),
                    "the oslo caller's request id is on the node's log lines");
        }
    }

    @Test
    void anOsloDataServerReceivesFerrysCast() throws Exception {
        Path a = system.newExport("to-oslo-a");
        Files.writeString(a.resolve("f.txt"), "x\n");
        String shareA = system.manageShare("to-oslo-a", "NFS", a, 1, "p1");
        String shareB = system.manageShare("to-oslo-b", "NFS", system.newExport("to-oslo-b"), 1, "p1");
        String backup;
        try (FerryProcess node = system.startDataNode("node-oslo-2", Map.of())) {
            backup = system.createBackup(alice, shareA);
        }
        Path received = system.root.resolve("oslo-received.json");
        Map<String, Object> args = osloArgs();
        args.put("out", received.toString());
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(Services.amqpUri(system.vhost));
        try (OsloPeer server = OsloPeer.run("oslo_data_server.py", args, system.root);
             Connection connection = factory.newConnection("ferry-it-capture");
             Channel channel = connection.createChannel()) {
            server.awaitOutput("READY", Duration.ofSeconds(60));
            // A second binding on the control exchange keeps a copy of the raw bytes Ferry sent.
            String capture = channel.queueDeclare().getQueue();
            channel.queueBind(capture, "openstack", "manila-data");

            ApiClient.Response response = alice.post("/v2/share-backups/" + backup + "/action",
                    Map.of("restore", shareB));
            assertEquals(202, response.status(), response::toString);
            assertEquals(0, server.awaitExit(Duration.ofSeconds(60)), server.output());

            JsonNode got = ApiClient.JSON.readTree(received.toFile());
            assertEquals(shareB, got.get("share_id").asText());
            assertEquals(backup, got.at("/backup/id").asText());
            assertEquals(shareA, got.at("/backup/share_id").asText());
            assertEquals("p1", got.at("/context/project_id").asText());
            assertEquals("alice", got.at("/context/user_id").asText());
            assertTrue(got.at("/context/request_id").asText().startsWith("req-"), got::toString);

            AtomicReference<GetResponse> raw = new AtomicReference<>();
            Awaitility.await("the captured copy").atMost(Duration.ofSeconds(10))
                    .until(() -> {
                        raw.set(channel.basicGet(capture, true));
                        return raw.get() != null;
                    });
            assertEquals("application/json", raw.get().getProps().getContentType());
            RpcRequest cast = RpcRequest.decode("application/json", raw.get().getBody());
            assertEquals("restore_backup", cast.method());
            assertEquals("1.1", cast.version());
            assertEquals(new TreeSet<>(List.of("backup", "share_id")), fieldNames(cast.args()));
            assertEquals(got.at("/context/request_id").asText(), cast.requestId());
        }
    }

    private static TreeSet<String> fieldNames(JsonNode node) {
        TreeSet<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}

class ClassicOsloInteropIT extends OsloInteropIT {
    @Override
    boolean quorum() {
        return false;
    }
}

class QuorumOsloInteropIT extends OsloInteropIT {
    @Override
    boolean quorum() {
        return true;
    }
}
