package dev.ferry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.ferry.messages.BackupRow;
import dev.ferry.messages.DataRpc;
import dev.ferry.messages.FailureDetail;
import dev.ferry.messages.RequestContext;
import dev.ferry.messages.StatusRpc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Casts that did not come through Ferry's API, from anyone holding broker credentials (say, a compromised data
 * node). A raw oslo {@code restore_backup} in mallory's project naming the victim's private backup and mallory's
 * share is refused: nothing is copied, mallory gets a user message, the cast is parked with the reason. The honest
 * same-project raw cast still restores. A {@code job_transition} for a running job from a party that does not hold
 * the grant's secret is dropped, and the job goes on to its real end.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ForeignCastAuthorityIT {
    private FerrySystem system;

    @BeforeAll
    void startSystem() throws Exception {
        system = FerrySystem.start("foreign-cast", true);
        // throttled, so that a restore runs long enough for a forged transition to arrive while it runs
        system.startDataNode("node-1", Map.of("FERRY_COPY_MAX_BYTES_PER_SECOND", "262144"));
    }

    @AfterAll
    void stopSystem() throws Exception {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void rawCastsNeedTheirContextsAuthorityAndTransitionsNeedTheGrantsSecret() throws Exception {
        ApiClient victim = system.user("victor", "victim");
        ApiClient mallory = system.user("mallory", "evil");
        Path victimExport = system.newExport("victim-private");
        Files.writeString(victimExport.resolve("payroll.csv"), "victor,1000000\n");
        byte[] filler = new byte[2 * 1024 * 1024];
        new Random(9).nextBytes(filler);
        Files.write(victimExport.resolve("big.bin"), filler);
        String victimShare = system.manageShare("victim-private", "NFS", victimExport, 1, "victim");
        String backup = system.createBackup(victim, victimShare);
        Path malloryExport = system.newExport("mallory");
        String malloryShare = system.manageShare("mallory", "NFS", malloryExport, 1, "evil");
        JsonNode view = system.backup(backup);
        BackupRow row = new BackupRow(backup, "victor", "victim", victimShare, view.get("size").asLong(), null,
                "manila-data", null, null, "100", "0", "available", null, null, null, null, null);

        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(Services.amqpUri(system.vhost));
        try (Connection connection = factory.newConnection("ferry-it-foreign-cast");
             Channel channel = connection.createChannel()) {
            // mallory's raw cast: the victim's private backup into her own share, in her own (member) context
            RequestContext malloryContext = RequestContext.of("mallory", "evil", false, List.of("member", "reader"));
            channel.basicPublish("openstack", "manila-data", props(),
                    DataRpc.restoreBackup(row, malloryShare, malloryContext).toBytes());

            JsonNode message = system.awaitMessage(malloryShare, Duration.ofSeconds(60));
            assertEquals(FailureDetail.REQUEST_PROJECT_NOT_ALLOWED.id(), message.get("detail_id").asText());
            assertEquals("evil", message.get("project_id").asText());
            assertTrue(message.get("user_message").asText().contains("may not use this backup or share"),
                    message.toString());
            ApiClient.Response hers = mallory.get("/v2/messages");
            assertEquals(200, hers.status(), hers::toString);
            assertTrue(hers.body().toString().contains(malloryShare), "mallory sees why: " + hers);
            JsonNode parked = awaitParked(backup);
            String reason = parked.get("reason").asText();
            assertTrue(reason.contains("claim refused") && reason.contains("belongs to another project"), reason);
            assertEquals(List.of(), listing(malloryExport), "nothing of the victim's was copied");
            assertEquals("available", system.share(malloryShare).get("status").asText());
            assertEquals("available", system.backup(backup).get("status").asText());
            assertTrue(system.jobs("restore_backup").isEmpty(), "no job was created");

            // the honest raw cast: the victim restores its own backup into another share of its own project
            Path restoredExport = system.newExport("victim-restored");
            String victimTarget = system.manageShare("victim-restored", "NFS", restoredExport, 1, "victim");
            RequestContext victimContext = RequestContext.of("victor", "victim", false, List.of("member", "reader"));
            channel.basicPublish("openstack", "manila-data", props(),
                    DataRpc.restoreBackup(row, victimTarget, victimContext).toBytes());
            Awaitility.await("the honest restore runs").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> "backup_restoring".equals(system.share(victimTarget).get("status").asText())
                            && !system.jobs("restore_backup").isEmpty()
                            && "running".equals(system.restoreJobFor(victimTarget).get("status").asText()));

            // while it runs, someone who names the job, its epoch and its node, but not the grant's secret
            JsonNode job = system.restoreJobFor(victimTarget);
            String jobId = job.get("id").asText();
            long epoch = job.get("epoch").asLong();
            String node = job.get("node").asText();
            RequestContext forger = RequestContext.service(node, job.get("request_id").asText());
            channel.basicPublish("openstack", StatusRpc.TOPIC, props(),
                    StatusRpc.Transition.succeeded(jobId, epoch, node).toRequest(forger).toBytes());
            channel.basicPublish("openstack", StatusRpc.TOPIC, props(),
                    StatusRpc.Transition.succeeded(jobId, epoch, node)
                            .withSecret("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").toRequest(forger).toBytes());
            Awaitility.await("the forged transitions are dropped").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> system.api().log().lines().filter(l -> l.contains("dropped succeeded transition of job "
                            + jobId)).count() == 2);
            JsonNode still = system.job(jobId);
            assertEquals("running", still.get("status").asText(), "the forged success changed nothing: " + still);
            assertEquals("backup_restoring", system.share(victimTarget).get("status").asText());

            system.awaitShare(victimTarget, "available", Duration.ofSeconds(120));
            system.awaitBackup(backup, "available", Duration.ofSeconds(30));
            assertEquals("succeeded", system.job(jobId).get("status").asText());
            assertEquals(TreeSnapshot.of(victimExport), TreeSnapshot.of(restoredExport),
                    "the honest raw cast restored the backup");
            assertEquals(List.of(), listing(malloryExport));
            assertFalse(system.logs().contains("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), "no secret is logged");
        }
    }

    private JsonNode awaitParked(String backupId) {
        List<JsonNode> found = new ArrayList<>();
        Awaitility.await("the refused cast is parked").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200)).until(() -> {
                    found.clear();
                    ApiClient.Response response = system.admin().get("/admin/parked");
                    assertEquals(200, response.status(), response::toString);
                    response.body().get("parked").forEach(p -> {
                        if (p.toString().contains(backupId)) {
                            found.add(p);
                        }
                    });
                    return !found.isEmpty();
                });
        return found.get(0);
    }

    private static List<String> listing(Path folder) throws Exception {
        try (var entries = Files.list(folder)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static AMQP.BasicProperties props() {
        return new AMQP.BasicProperties.Builder().contentType("application/json").contentEncoding("utf-8")
                .deliveryMode(2).build();
    }
}
