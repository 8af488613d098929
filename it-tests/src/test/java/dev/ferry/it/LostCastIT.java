package dev.ferry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.ferry.messages.DataRpc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A restore's cast that a consumer took and holds unacknowledged for good (as RabbitMQ does with a cast checked out to
 * a consumer that is gone after a quorum queue's leader election, rabbitmq-server#15473) is cast again by the
 * api-gateway after {@code FERRY_JOB_REDISPATCH_SECONDS}: the restore runs once, and the held copy, delivered once the
 * consumer lets go, is refused at its claim and dropped. While the cast waits in the queue, nothing is sent again.
 */
class LostCastIT {
    private static final Map<String, String> LOCAL_MODE = Map.of(
            "FERRY_BACKUP_MOUNT_TEMPLATE", "", "FERRY_BACKUP_UNMOUNT_TEMPLATE", "",
            "FERRY_SHARE_MOUNT_TEMPLATE", "", "FERRY_SHARE_UNMOUNT_TEMPLATE", "");
    private static FerrySystem system;
    private static Connection broker;

    @BeforeAll
    static void startSystem() throws Exception {
        system = FerrySystem.start("lostcast", true, Map.of("FERRY_JOB_REDISPATCH_SECONDS", "2"));
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(Services.amqpUri(system.vhost));
        broker = factory.newConnection("ferry-it-lostcast");
    }

    @AfterAll
    static void stopSystem() throws Exception {
        if (broker != null) {
            broker.close();
        }
        if (system != null) {
            system.close();
        }
    }

    @Test
    void aCastHeldUnacknowledgedForGoodIsSentAgainAndItsRestoreRunsOnce() throws Exception {
        ApiClient alice = system.user("alice", "p1");
        Path export = system.newExport("a");
        Files.writeString(export.resolve("data.txt"), "kept\n");
        String share = system.manageShare("a", "NFS", export, 1, "p1");
        FerryProcess first = system.startDataNode("node-1", LOCAL_MODE);
        String backup = system.createBackup(alice, share);
        first.stop(Duration.ofSeconds(30));
        Files.delete(export.resolve("data.txt"));

        assertEquals(202, alice.post("/v2/share-backups/" + backup + "/action", "{\"restore\": null}").status());
        ManagementScrape gateway = new ManagementScrape(system.api().managementUrl(Duration.ofSeconds(10)));
        Awaitility.await("the restore's cast waits in manila-data").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100)).until(() -> ready() == 1);
        Awaitility.await("a cast that waits in its queue is not sent again").during(Duration.ofSeconds(4))
                .atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> ready() == 1 && redispatched(gateway) == 0);

        Channel holder = broker.createChannel();
        holder.basicQos(1);
        CompletableFuture<Long> held = new CompletableFuture<>();
        holder.basicConsume(DataRpc.TOPIC, false, (tag, delivery) -> held.complete(
                delivery.getEnvelope().getDeliveryTag()), tag -> { });
        held.get(30, TimeUnit.SECONDS);
        Awaitility.await("the api-gateway sends the held cast again").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100)).until(() -> ready() == 1);
        assertEquals(1, redispatched(gateway));

        FerryProcess second = system.startDataNode("node-2", LOCAL_MODE);
        system.awaitShare(share, "available", Duration.ofSeconds(60));
        assertEquals("kept\n", Files.readString(export.resolve("data.txt")));
        holder.close(); // the held copy goes back to the queue, to node-2
        second.awaitLog("dropping the cast", Duration.ofSeconds(30));
        JsonNode job = system.restoreJobFor(share);
        assertEquals("succeeded", job.get("status").asText(), job::toString);
        assertEquals(1, job.get("attempts").size(), "the restore ran once: " + job);
        assertEquals("node-2", job.get("attempts").get(0).get("node").asText(), job::toString);
        assertEquals(1, redispatched(gateway), "cast again once");
    }

    private static long ready() throws Exception {
        try (Channel channel = broker.createChannel()) {
            return channel.queueDeclarePassive(DataRpc.TOPIC).getMessageCount();
        }
    }

    private static double redispatched(ManagementScrape gateway) throws Exception {
        return ManagementScrape.value(gateway.metrics(), "ferry_jobs_redispatched_total", "kind=\"restore_backup\"");
    }
}
