package dev.ferry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fault: two api-gateways on one PostgreSQL database and one RabbitMQ vhost (replicas behind a load balancer),
 * three data nodes; 500 restores accepted, half through each gateway's API, and one gateway killed (kill -9) once
 * they are all accepted and at least half of them are done. Checked: every restore completes through the surviving gateway (its outbox relay, claims,
 * transitions and reaper), each job succeeded with exactly one attempt (none ran twice), nothing is parked.
 */
class TwoGatewaysFaultIT {
    private static final int RESTORES = 500;
    private static final Map<String, String> LOCAL_MODE = Map.of(
            "FERRY_BACKUP_MOUNT_TEMPLATE", "", "FERRY_BACKUP_UNMOUNT_TEMPLATE", "",
            "FERRY_SHARE_MOUNT_TEMPLATE", "", "FERRY_SHARE_UNMOUNT_TEMPLATE", "",
            "FERRY_DATA_CONCURRENCY", "4", "FERRY_PROGRESS_INTERVAL_MS", "2000");
    private static FerrySystem system;
    private static FerrySystem.Gateway survivor;
    private static FerrySystem.Gateway victim;

    @BeforeAll
    static void startSystem() throws Exception {
        // 500 backups in one project: far beyond the default backup quota (10).
        system = FerrySystem.start("gateways", true,
                Map.of("FERRY_QUOTA_BACKUPS", "-1", "FERRY_QUOTA_BACKUP_GIGABYTES", "-1"));
        survivor = new FerrySystem.Gateway(system.api(), system.httpPort);
        victim = system.startReplica("gateways-api-2", Map.of());
        for (int i = 1; i <= 3; i++) {
            system.startDataNode("node-" + i, LOCAL_MODE);
        }
    }

    @AfterAll
    static void stopSystem() throws Exception {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void everyRestoreCompletesOnceWhenOneOfTwoGatewaysIsKilled() throws Exception {
        List<FerrySystem.Gateway> gateways = List.of(survivor, victim);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> managed = new ArrayList<>();
            for (int i = 0; i < RESTORES; i++) {
                int n = i;
                managed.add(pool.submit(() -> {
                    Path export = system.newExport("s-" + n);
                    Files.writeString(export.resolve("data.txt"), "share " + n + "\n");
                    return manage(gateways.get(n % 2).admin(), "s-" + n, export);
                }));
            }
            List<String> shares = results(managed);

            List<Future<String>> created = new ArrayList<>();
            for (int i = 0; i < RESTORES; i++) {
                int n = i;
                created.add(pool.submit(() -> createBackup(gateways.get(n % 2).user("alice", "p1"), shares.get(n))));
            }
            List<String> backups = results(created);
            awaitAll("backups available", "/v2/share-backups/detail?all_tenants=1", "share_backups", backups,
                    "available");
            awaitAll("shares available after their backups", "/v2/shares/detail?all_tenants=1", "shares", shares,
                    "available");
            for (int i = 0; i < RESTORES; i++) {
                Files.delete(system.exports.resolve("s-" + i).resolve("data.txt")); // each restore brings it back
            }

            long started = System.nanoTime();
            List<Future<Integer>> accepted = new ArrayList<>();
            for (int i = 0; i < RESTORES; i++) {
                ApiClient alice = gateways.get(i % 2).user("alice", "p1");
                String backup = backups.get(i);
                accepted.add(pool.submit(() -> {
                    ApiClient.Response response = alice.post("/v2/share-backups/" + backup + "/action",
                            "{\"restore\": null}");
                    assertEquals(202, response.status(), () -> "restore of " + backup + ": " + response);
                    return response.status();
                }));
            }
            results(accepted);
            long acceptedMs = (System.nanoTime() - started) / 1_000_000;

            Awaitility.await("half of the restores done").atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(100)).until(() -> succeededRestores().size() >= RESTORES / 2);
            int doneAtKill = succeededRestores().size();
            LocalDateTime killedAt = LocalDateTime.now(ZoneOffset.UTC);
            long killed = System.nanoTime();
            victim.process().kill9();
            Awaitility.await("every restore done through the surviving gateway").atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(250)).until(() -> succeededRestores().size() == RESTORES);
            long afterKillMs = (System.nanoTime() - killed) / 1_000_000;
            awaitAll("backups available after their restores", "/v2/share-backups/detail?all_tenants=1",
                    "share_backups", backups, "available");
            awaitAll("shares available after their restores", "/v2/shares/detail?all_tenants=1", "shares", shares,
                    "available");

            List<JsonNode> jobs = system.jobs("restore_backup");
            long succeeded = jobs.stream().filter(j -> j.get("status").asText().equals("succeeded")).count();
            long failed = jobs.stream().filter(j -> j.get("status").asText().equals("failed")).count();
            List<JsonNode> rerun = jobs.stream().filter(j -> j.get("attempts").size() != 1).toList();
            LocalDateTime nextDone = jobs.stream().flatMap(j -> stream(j.get("attempts")))
                    .filter(a -> "succeeded".equals(a.path("outcome").asText()))
                    .map(a -> LocalDateTime.parse(a.get("ended_at").asText()))
                    .filter(t -> t.isAfter(killedAt)).min(LocalDateTime::compareTo).orElseThrow();
            long killToNextMs = Duration.between(killedAt, nextDone).toMillis();
            String logs = system.logs();
            // A data node logs "<slot> claimed job <id> (epoch <n>)" when it starts a job (CastHandler).
            long claims = logs.lines().filter(l -> l.contains("CastHandler") && l.contains(" claimed job ")).count();
            long refused = logs.lines().filter(l -> l.contains("not claimed")).count();
            long regrants = logs.lines().filter(l -> l.contains("(its grant was lost)")).count();
            long requeued = logs.lines().filter(l -> l.contains(" is queued again at epoch ")).count();
            List<JsonNode> parked = parked();
            System.out.printf("two gateways: accepted %d (%d through each gateway) in %d ms; one gateway killed with"
                    + " %d of them done; next restore done %d ms after the kill; all done %d ms after the kill; succeeded"
                    + " %d, failed %d, jobs with more than one attempt %d, claims %d (backups and restores), duplicate"
                    + " casts refused %d, lost grants given again %d, jobs queued again %d, parked %d%n",
                    RESTORES, RESTORES / 2, acceptedMs, doneAtKill, killToNextMs, afterKillMs, succeeded, failed,
                    rerun.size(), claims, refused, regrants, requeued, parked.size());
            assertEquals(RESTORES, jobs.size());
            assertEquals(RESTORES, succeeded, "every restore succeeded");
            assertEquals(List.of(), rerun, "each restore ran exactly once");
            assertEquals(2L * RESTORES, claims, "each backup and each restore was started by a node exactly once");
            assertEquals(List.of(), parked, "nothing was parked");
            assertTrue(doneAtKill < RESTORES, "the gateway was killed while restores were still running");
            for (int i = 0; i < RESTORES; i++) {
                assertEquals("share " + i + "\n", Files.readString(system.exports.resolve("s-" + i).resolve("data.txt")));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static String manage(ApiClient admin, String name, Path export) throws Exception {
        Map<String, Object> share = Map.of("protocol", "NFS", "export_path", export.toString(), "name", name,
                "size", 1, "project_id", "p1", "is_public", false);
        ApiClient.Response response = admin.post("/v2/shares/manage", Map.of("share", share));
        assertEquals(200, response.status(), () -> "manage " + name + ": " + response);
        return response.body().at("/share/id").asText();
    }

    private static String createBackup(ApiClient user, String shareId) throws Exception {
        ApiClient.Response response = user.post("/v2/share-backups",
                Map.of("share_backup", Map.of("share_id", shareId, "name", "it-backup")));
        assertEquals(202, response.status(), () -> "backup of " + shareId + ": " + response);
        return response.body().at("/share_backup/id").asText();
    }

    /** Waits until every one of {@code ids} in the list at {@code path} has {@code status}; fails on an error status. */
    private static void awaitAll(String what, String path, String key, List<String> ids, String status) {
        Set<String> wanted = new HashSet<>(ids);
        Awaitility.await(what).atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250)).until(() -> {
            ApiClient.Response response = survivor.admin().get(path);
            assertEquals(200, response.status(), response::toString);
            int count = 0;
            for (JsonNode item : response.body().get(key)) {
                String now = item.get("status").asText();
                if (wanted.contains(item.get("id").asText())) {
                    if (now.contains("error")) {
                        throw new AssertionError(key + " " + item.get("id").asText() + " went to " + now);
                    }
                    count += now.equals(status) ? 1 : 0;
                }
            }
            return count == wanted.size();
        });
    }

    private static List<JsonNode> succeededRestores() throws Exception {
        ApiClient.Response response = survivor.admin().get("/admin/jobs?limit=100000&kind=restore_backup"
                + "&status=succeeded");
        assertEquals(200, response.status(), response::toString);
        return stream(response.body().get("jobs")).toList();
    }

    private static List<JsonNode> parked() throws Exception {
        ApiClient.Response response = survivor.admin().get("/admin/parked");
        assertEquals(200, response.status(), response::toString);
        return stream(response.body().get("parked")).toList();
    }

    private static java.util.stream.Stream<JsonNode> stream(JsonNode array) {
        List<JsonNode> items = new ArrayList<>();
        array.forEach(items::add);
        return items.stream();
    }

    private static <T> List<T> results(List<Future<T>> futures) throws Exception {
        List<T> values = new ArrayList<>();
        for (Future<T> future : futures) {
            values.add(future.get());
        }
        return values;
    }
}
