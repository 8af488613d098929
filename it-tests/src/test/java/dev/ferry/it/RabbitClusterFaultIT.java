package dev.ferry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fault: a three-node RabbitMQ cluster of the test's own (quorum queues on every node), an api-gateway and three
 * data nodes given all three URIs; 1,000 small restores accepted, and the node leading {@code manila-data}'s quorum
 * queue killed with kill -9 part-way through, then started again. Checked: every restore completes, each job
 * succeeded exactly once, nothing is parked, no job failed. Prints the time from the kill to the next completed
 * restore, the counts, and how many jobs the api-gateway cast again.
 *
 * <p>On RabbitMQ 3.10 the leader election loses a cast in about one run of two: it stays unacknowledged on
 * {@code manila-data}, checked out to a consumer no channel lists ({@code list_queues} counts 14 consumers and 2
 * unacknowledged messages, {@code list_consumers} shows the 12 live ones), and is never delivered again while the
 * data nodes' channels live (rabbitmq/rabbitmq-server#15473). The api-gateway casts such a job again once it has
 * waited unclaimed past {@code FERRY_JOB_REDISPATCH_SECONDS} (5 s here) with the queue holding nothing ready; the
 * test shows that this is enough for every restore to complete, once. When restores are missing all the same, the
 * failure message lists the queues and consumers.
 */
class RabbitClusterFaultIT {
    private static final int RESTORES = 1_000;
    private static final int DATA_NODES = 3;
    private static final int REDISPATCH_SECONDS = 5;
    private static final Map<String, String> LOCAL_MODE = Map.of(
            "FERRY_BACKUP_MOUNT_TEMPLATE", "", "FERRY_BACKUP_UNMOUNT_TEMPLATE", "",
            "FERRY_SHARE_MOUNT_TEMPLATE", "", "FERRY_SHARE_UNMOUNT_TEMPLATE", "",
            "FERRY_DATA_CONCURRENCY", "4", "FERRY_PROGRESS_INTERVAL_MS", "2000");
    private static Path clusterDir;
    private static RabbitCluster cluster;
    private static FerrySystem system;
    private static final List<FerryProcess> dataNodes = new ArrayList<>();

    @BeforeAll
    static void startSystem() throws Exception {
        clusterDir = Files.createTempDirectory("ferry-it-rabbit-cluster-");
        cluster = RabbitCluster.start(clusterDir, 3);
        Map<String, String> api = new TreeMap<>(Map.of("FERRY_AMQP_URI", cluster.amqpUris(),
                "FERRY_MAX_PAGE_SIZE", Integer.toString(RESTORES * 2),
                // a backup per restore, all in one project: far beyond the default backup quota
                "FERRY_QUOTA_BACKUPS", "-1", "FERRY_QUOTA_BACKUP_GIGABYTES", "-1",
                // a cast the leader election loses is sent again soon, not after the default minute
                "FERRY_JOB_REDISPATCH_SECONDS", Integer.toString(REDISPATCH_SECONDS)));
        system = FerrySystem.start("rabbitcluster", true, api);
        Map<String, String> node = new TreeMap<>(LOCAL_MODE);
        node.put("FERRY_AMQP_URI", cluster.amqpUris());
        for (int i = 1; i <= DATA_NODES; i++) {
            dataNodes.add(system.startDataNode("node-" + i, node));
        }
    }

    @AfterAll
    static void stopSystem() throws Exception {
        try {
            if (system != null) {
                system.close();
            }
        } finally {
            if (cluster != null) {
                cluster.close();
                cluster.keepLogs(FerryProcess.LOGS.resolve("rabbitcluster-brokers"));
            }
            if (clusterDir != null) {
                try (var walk = Files.walk(clusterDir)) {
                    walk.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                }
            }
        }
    }

    @Test
    void restoresSurviveTheQueueLeaderBeingKilled() throws Exception {
        ApiClient alice = system.user("alice", "p1");
        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<String> backups;
        try {
            // a backup may be restored once at a time: each restore gets its own small backup of its own share
            List<Future<String>> created = new ArrayList<>();
            for (int i = 0; i < RESTORES; i++) {
                int n = i;
                created.add(clients.submit(() -> {
                    Path export = system.newExport("s" + n);
                    Files.writeString(export.resolve("data.txt"), "restore " + n + "\n");
                    String share = system.manageShare("s" + n, "NFS", export, 1, "p1");
                    ApiClient.Response response = alice.post("/v2/share-backups",
                            Map.of("share_backup", Map.of("share_id", share, "name", "b" + n)));
                    assertEquals(202, response.status(), response::toString);
                    return response.body().at("/share_backup/id").asText();
                }));
            }
            backups = results(created);
            Awaitility.await("every backup is made").atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(200)).until(() -> count("create_backup", "succeeded") == RESTORES);
            String members = cluster.quorumStatus("manila-data");
            for (OwnBrokerNode node : cluster.nodes()) {
                assertTrue(members.contains(node.nodeName()), "manila-data is replicated on every node: " + members);
            }
            Awaitility.await("every backup is available").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200)).until(() -> count("SELECT count(*) FROM backups WHERE "
                            + "status = 'available'") == RESTORES);
            for (int i = 0; i < RESTORES; i++) {
                Files.delete(system.exports.resolve("s" + i).resolve("data.txt")); // each restore brings it back
            }

            OwnBrokerNode leader = cluster.leaderOf("manila-data");
            long startedAt = System.nanoTime();
            List<Future<Object>> accepted = new ArrayList<>();
            for (String backup : backups) {
                accepted.add(clients.submit(() -> {
                    ApiClient.Response response = alice.post("/v2/share-backups/" + backup + "/action",
                            "{\"restore\": null}");
                    assertEquals(202, response.status(), () -> "restore of " + backup + ": " + response);
                    return null;
                }));
            }
            Awaitility.await("a third of the restores complete").atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(20)).until(() -> restored() >= RESTORES / 3);
            int doneAtKill = restored();
            Instant killedWhen = Instant.now();
            long killedAt = System.nanoTime();
            leader.kill9();
            CompletableFuture<Void> restarted = CompletableFuture.runAsync(() -> {
                try {
                    leader.startAgain();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Awaitility.await("a restore completes after the kill").atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(20)).until(() -> restored() > doneAtKill);
            long nextDoneMs = (System.nanoTime() - killedAt) / 1_000_000;
            restarted.get();
            long backMs = (System.nanoTime() - killedAt) / 1_000_000;
            results(accepted);
            try {
                Awaitility.await("every restore completes").atMost(Duration.ofSeconds(120))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> restored() + count("restore_backup", "failed") >= RESTORES);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError(restored() + " of " + RESTORES + " restores completed; the cluster's queues:\n"
                        + cluster.nodes().get(0).rabbitmqctl("list_queues", "name", "type", "leader", "members",
                        "messages_ready", "messages_unacknowledged", "consumers") + "consumers:\n"
                        + cluster.nodes().get(0).rabbitmqctl("list_consumers"), e);
            }
            long allDoneMs = (System.nanoTime() - startedAt) / 1_000_000;
            report(leader, doneAtKill, nextDoneMs, longestPauseMs(killedWhen), backMs, allDoneMs);
        } finally {
            clients.shutdownNow();
        }
        for (int i = 0; i < RESTORES; i++) {
            assertEquals("restore " + i + "\n", Files.readString(system.exports.resolve("s" + i).resolve("data.txt")),
                    "share s" + i + " holds its backup again");
        }
    }

    /** The longest time from the kill, or from one completed restore, to the next completed restore. */
    private static long longestPauseMs(Instant killed) throws Exception {
        long longest = 0;
        Instant previous = killed;
        try (Connection c = DriverManager.getConnection(system.dbUrl, Services.DB_USER, Services.DB_PASSWORD);
             Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SELECT updated_at FROM jobs WHERE kind = 'restore_backup' AND status = "
                     + "'succeeded' ORDER BY updated_at")) {
            while (rows.next()) {
                Instant done = rows.getTimestamp(1).toLocalDateTime().toInstant(ZoneOffset.UTC);
                if (done.isAfter(killed)) {
                    longest = Math.max(longest, Duration.between(previous, done).toMillis());
                    previous = done;
                }
            }
        }
        return longest;
    }

    private static void report(OwnBrokerNode leader, int doneAtKill, long nextDoneMs, long longestPauseMs,
                               long backMs, long allDoneMs) throws Exception {
        List<JsonNode> jobs = system.jobs("restore_backup");
        int once = 0;
        int retried = 0;
        List<String> wrong = new ArrayList<>();
        for (JsonNode job : jobs) {
            int successes = 0;
            for (JsonNode attempt : job.get("attempts")) {
                if ("succeeded".equals(attempt.path("outcome").asText())) {
                    successes++;
                }
            }
            if (job.get("attempts").size() > 1) {
                retried++;
            }
            if ("succeeded".equals(job.get("status").asText()) && successes == 1) {
                once++;
            } else {
                wrong.add(job.toString());
            }
        }
        ApiClient.Response parked = system.admin().get("/admin/parked");
        assertEquals(200, parked.status(), parked::toString);
        double redispatched = ManagementScrape.value(new ManagementScrape(system.api().managementUrl(
                Duration.ofSeconds(10))).metrics(), "ferry_jobs_redispatched_total", "kind=\"restore_backup\"");
        long dropped = 0;
        for (FerryProcess node : dataNodes) {
            dropped += node.log().lines().filter(line -> line.contains("dropping the cast")).count();
        }
        System.out.printf("rabbit cluster (3 nodes, %d data nodes): killed %s, manila-data's leader, with %d of %d "
                + "restores done; next restore done %d ms after the kill, longest pause between completions after it "
                + "%d ms; node back after %d ms; all %d done in %d ms: %d succeeded once, %d with more than one "
                + "attempt, %d failed or not once, %d parked; %.0f cast again by the api-gateway, %d duplicate casts "
                + "refused and dropped by the data nodes%n",
                DATA_NODES, leader.nodeName(), doneAtKill, RESTORES, nextDoneMs, longestPauseMs, backMs, jobs.size(),
                allDoneMs, once, retried, wrong.size(), parked.body().get("parked").size(), redispatched, dropped);
        assertEquals(RESTORES, jobs.size(), "one job for each accepted restore");
        assertEquals(List.of(), wrong, "every job succeeded exactly once, none failed");
        assertEquals(0, parked.body().get("parked").size(), parked::toString);
    }

    private static <T> List<T> results(List<Future<T>> futures) throws Exception {
        List<T> results = new ArrayList<>();
        for (Future<T> future : futures) {
            results.add(future.get());
        }
        return results;
    }

    private static int restored() throws Exception {
        return count("restore_backup", "succeeded");
    }

    private static int count(String kind, String status) throws Exception {
        return count("SELECT count(*) FROM jobs WHERE kind = '" + kind + "' AND status = '" + status + "'");
    }

    private static int count(String query) throws Exception {
        try (Connection c = DriverManager.getConnection(system.dbUrl, Services.DB_USER, Services.DB_PASSWORD);
             Statement s = c.createStatement();
             ResultSet rows = s.executeQuery(query)) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
