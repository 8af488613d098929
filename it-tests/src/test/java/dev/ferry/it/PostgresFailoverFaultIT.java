package dev.ferry.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Fault: PostgreSQL fails over while restores run. The api-gateway's FERRY_DB_URL names a primary and a synchronous
 * standby of the test's own ({@code targetServerType=primary}); 200 restores are accepted, the primary is stopped
 * ({@code pg_ctl stop -m immediate}) once some have completed, and the standby promoted once the API answers 503.
 * Checked: requests in between get the 503 fault; the same api-gateway, never restarted, carries on against the new
 * primary; every restore completes, each job succeeded exactly once and each target was written by one restore.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostgresFailoverFaultIT {
    private static final int RESTORES = 200;
    private static final int COMPLETED_BEFORE_THE_STOP = 20;
    /** Each share holds one file of this size, copied at {@link #BYTES_PER_SECOND}: a job takes about half a second. */
    private static final int FILE_BYTES = 64 * 1024;
    private static final int BYTES_PER_SECOND = 128 * 1024;
    private static final Map<String, String> LOCAL_MODE = Map.of("FERRY_BACKUP_MOUNT_TEMPLATE", "",
            "FERRY_BACKUP_UNMOUNT_TEMPLATE", "", "FERRY_SHARE_MOUNT_TEMPLATE", "", "FERRY_SHARE_UNMOUNT_TEMPLATE", "");
    private static final Pattern RESTORED = Pattern.compile("restored backup \\S+ into share (\\S+) ");
    private static OwnPostgresPair postgres;
    private static FerrySystem system;
    private static final List<FerryProcess> nodes = new ArrayList<>();

    @BeforeAll
    static void startSystem() throws Exception {
        postgres = OwnPostgresPair.start();
        postgres.createDatabase("ferry");
        system = FerrySystem.start("pgfailover", true, Map.of("FERRY_DB_URL", postgres.multiHostUrl("ferry"),
                "FERRY_DB_USER", OwnPostgresPair.USER, "FERRY_DB_PASSWORD", "", "FERRY_SHARE_MOUNT_TEMPLATE", "",
                "FERRY_QUOTA_BACKUPS", "-1", "FERRY_QUOTA_BACKUP_GIGABYTES", "-1"));
        Map<String, String> node = new HashMap<>(LOCAL_MODE);
        node.put("FERRY_DATA_CONCURRENCY", "4");
        node.put("FERRY_COPY_MAX_BYTES_PER_SECOND", Integer.toString(BYTES_PER_SECOND));
        nodes.add(system.startDataNode("node-1", node));
        nodes.add(system.startDataNode("node-2", node));
    }

    @AfterAll
    static void stopSystem() throws Exception {
        try {
            if (system != null) {
                system.close();
            }
        } finally {
            if (postgres != null) {
                postgres.close();
            }
        }
    }

    @Test
    @Order(1)
    void everyRestoreCompletesOnceAcrossTheFailover() throws Exception {
        ApiClient alice = system.user("alice", "p1");
        List<String> sources = new ArrayList<>();
        List<String> targets = new ArrayList<>();
        List<String> backups = new ArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            List<Future<String[]>> made = new ArrayList<>();
            for (int i = 0; i < RESTORES; i++) {
                int n = i;
                made.add(clients.submit(() -> {
                    Path source = system.newExport("s" + n);
                    Files.write(source.resolve("data-" + n + ".bin"), content(n));
                    return new String[] {system.manageShare("s" + n, "NFS", source, 1, "p1"),
                            system.manageShare("t" + n, "NFS", system.newExport("t" + n), 1, "p1")};
                }));
            }
            for (Future<String[]> shares : made) {
                sources.add(shares.get()[0]);
                targets.add(shares.get()[1]);
            }
            List<Future<String>> created = new ArrayList<>();
            for (String source : sources) {
                created.add(clients.submit(() -> {
                    ApiClient.Response response = alice.post("/v2/share-backups", Map.of("share_backup",
                            Map.of("share_id", source, "name", "failover")));
                    assertEquals(202, response.status(), response::toString);
                    return response.body().at("/share_backup/id").asText();
                }));
            }
            for (Future<String> backup : created) {
                backups.add(backup.get());
            }
        } finally {
            clients.shutdownNow();
        }
        Awaitility.await("all backups succeeded").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                .until(() -> succeeded(system.jobs("create_backup")) == RESTORES);
        for (int i = 0; i < RESTORES; i++) {
            ApiClient.Response accepted = alice.post("/v2/share-backups/" + backups.get(i) + "/action",
                    Map.of("restore", targets.get(i)));
            assertEquals(202, accepted.status(), accepted::toString);
        }

        Awaitility.await(COMPLETED_BEFORE_THE_STOP + " restores completed").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> succeeded(system.jobs("restore_backup")) >= COMPLETED_BEFORE_THE_STOP);
        long completedBefore = succeeded(system.jobs("restore_backup"));
        postgres.stopPrimaryImmediately();
        // taken once pg_ctl saw the primary gone: a restore that ends later ended on the new primary
        LocalDateTime stoppedAtClock = LocalDateTime.now(ZoneOffset.UTC);
        long stoppedAt = System.nanoTime();

        AtomicInteger unavailable = new AtomicInteger();
        Awaitility.await("the API answers 503 while no primary takes writes").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100)).until(() -> {
                    ApiClient.Response response = alice.get("/v2/shares/" + targets.get(0));
                    if (response.status() != 503) {
                        return false;
                    }
                    assertEquals(503, response.body().at("/computeFault/code").asInt(), response::toString);
                    unavailable.incrementAndGet();
                    return true;
                });
        ApiClient.Response refused = alice.post("/v2/share-backups", Map.of("share_backup",
                Map.of("share_id", sources.get(0))));
        assertEquals(503, refused.status(), refused::toString);
        assertEquals(503, refused.body().at("/computeFault/code").asInt(), refused::toString);
        unavailable.incrementAndGet();
        long promotedAt = System.nanoTime();
        postgres.promoteStandby();
        LocalDateTime promotedAtClock = LocalDateTime.now(ZoneOffset.UTC);

        Awaitility.await("all restores succeeded").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                .ignoreExceptions().until(() -> succeeded(system.jobs("restore_backup")) == RESTORES);
        long allDoneMs = (System.nanoTime() - stoppedAt) / 1_000_000;

        List<JsonNode> jobs = system.jobs("restore_backup");
        assertEquals(RESTORES, jobs.size(), "one restore job per accepted request");
        long multiAttempt = 0;
        LocalDateTime firstAfterStop = null;
        for (JsonNode job : jobs) {
            List<JsonNode> successes = new ArrayList<>();
            job.get("attempts").forEach(a -> {
                if ("succeeded".equals(a.get("outcome").asText())) {
                    successes.add(a);
                }
            });
            assertEquals(1, successes.size(), () -> "job " + job.get("id") + " succeeded exactly once: " + job);
            multiAttempt += job.get("attempts").size() > 1 ? 1 : 0;
            LocalDateTime ended = LocalDateTime.parse(successes.get(0).get("ended_at").asText());
            if (ended.isAfter(stoppedAtClock) && (firstAfterStop == null || ended.isBefore(firstAfterStop))) {
                firstAfterStop = ended;
            }
        }
        Map<String, Integer> restoredInto = new HashMap<>();
        for (FerryProcess node : nodes) {
            Matcher m = RESTORED.matcher(node.log());
            while (m.find()) {
                restoredInto.merge(m.group(1), 1, Integer::sum);
            }
        }
        for (int i = 0; i < RESTORES; i++) {
            assertEquals(1, restoredInto.getOrDefault(targets.get(i), 0), "restores into target t" + i);
            assertArrayEquals(content(i), Files.readAllBytes(system.exports.resolve("t" + i)
                    .resolve("data-" + i + ".bin")), "t" + i + " holds its backup");
        }
        long nextCompletedMs = firstAfterStop == null ? -1 : Duration.between(stoppedAtClock, firstAfterStop).toMillis();
        long sincePromotedMs = firstAfterStop == null ? -1
                : Duration.between(promotedAtClock, firstAfterStop).toMillis();
        System.out.printf("postgres failover: accepted %d, completed %d before the primary stopped, %d requests"
                        + " answered 503 in between, standby promoted %d ms after the stop; completed %d (each"
                        + " succeeded once, %d with more than one attempt); next restore completed %d ms after the"
                        + " stop (%d ms after the promotion ended), all done %d ms after the stop%n", RESTORES,
                completedBefore, unavailable.get(), (promotedAt - stoppedAt) / 1_000_000, succeeded(jobs),
                multiAttempt, nextCompletedMs, sincePromotedMs, allDoneMs);
        assertTrue(completedBefore < RESTORES, "the primary stopped mid-way: " + completedBefore + " had completed");
        assertTrue(firstAfterStop != null, "a restore completed after the stop");
    }

    /**
     * The server that takes writes turns read-only (as a primary that a failover manager demotes does): the
     * api-gateway's open connections to it must not serve writes, so requests answer 503; once it takes writes again,
     * the same api-gateway works without a restart.
     */
    @Test
    @Order(2)
    void aServerThatTurnsReadOnlyAnswers503UntilOneTakesWrites() throws Exception {
        Path folder = system.newExport("read-only");
        Map<String, Object> share = Map.of("protocol", "NFS", "export_path", folder.toString(), "name", "read-only",
                "size", 1, "project_id", "p1", "is_public", false);
        postgres.setReadOnly(true);
        try {
            for (int i = 0; i < 2; i++) { // the first fails on an open connection, the second on a new one
                ApiClient.Response response = system.admin().post("/v2/shares/manage", Map.of("share", share));
                assertEquals(503, response.status(), () -> "a read-only server is not written: " + response);
                assertEquals(503, response.body().at("/computeFault/code").asInt(), response::toString);
            }
        } finally {
            postgres.setReadOnly(false);
        }
        long writableAt = System.nanoTime();
        Awaitility.await("writes work again").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> system.admin().post("/v2/shares/manage", Map.of("share", share)).status() == 200);
        System.out.printf("postgres read-only: writes answered 503 while the server was read-only and worked again"
                + " %d ms after it took writes again, the api-gateway not restarted%n",
                (System.nanoTime() - writableAt) / 1_000_000);
    }

    /** Share i's one file: {@link #FILE_BYTES} bytes that differ from share to share. */
    private static byte[] content(int i) {
        byte[] bytes = new byte[FILE_BYTES];
        new Random(i).nextBytes(bytes);
        return bytes;
    }

    private static long succeeded(List<JsonNode> jobs) {
        return jobs.stream().filter(j -> "succeeded".equals(j.get("status").asText())).count();
    }
}
