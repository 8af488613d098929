package dev.ferry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A hostile tenant against the whole system (real processes, bind mounts, the data node as root): while a
 * restore, a backup, a share made from a backup, a backup delete, a share delete or a shrink runs, a racer keeps
 * swapping the folders the job is about to use for links to a folder outside every root, and files for fifos.
 * The node's mounts are made without {@code nosymfollow} here, so the copy engine's own handle discipline is
 * what is tested. Whatever the racer manages: nothing outside is created, changed, deleted or read, every job
 * ends (succeeded, or failed with a reason) within a minute, and the node keeps serving.
 */
class HostileTenantIT {
    /** Jobs per scenario; {@code -Dferry.it.raceRuns} changes it. */
    private static final int RUNS = Integer.getInteger("ferry.it.raceRuns", 40);
    private static final Duration JOB_BOUND = Duration.ofSeconds(60);
    private static final String SECRET = "only the data node may read this\n";
    private static final long HUGE = 1L << 40;
    private static FerrySystem system;
    private static FerryProcess node;
    private static ApiClient alice;
    /** The folder the racer's links point to; {@link #world} holds it and {@link #huge}. */
    private static Path outside;
    private static Path huge;
    private static Path world;
    private static Map<String, String> worldBefore;
    private static String sourceShare;
    private static String backup;
    private final AtomicLong swaps = new AtomicLong();

    @BeforeAll
    static void startSystem() throws Exception {
        // a backup per run of the backup and backup-delete races: beyond the default backup quota (10)
        system = FerrySystem.start("hostile", true,
                Map.of("FERRY_QUOTA_BACKUPS", "-1", "FERRY_QUOTA_BACKUP_GIGABYTES", "-1"));
        node = system.startDataNode("node-1", Map.of(
                "FERRY_SHARE_MOUNT_OPTIONS", "-o nosuid,nodev",
                "FERRY_BACKUP_MOUNT_OPTIONS", "-o nosuid,nodev",
                "FERRY_DATA_CONCURRENCY", "2"));
        alice = system.user("alice", "p1");

        world = Files.createDirectories(system.root.resolve("outside-world"));
        outside = Files.createDirectory(world.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), SECRET);
        Files.writeString(outside.resolve("keep.txt"), "keep\n");
        huge = Files.createDirectory(world.resolve("huge"));
        try (RandomAccessFile file = new RandomAccessFile(huge.resolve("huge.img").toFile(), "rw")) {
            file.setLength(HUGE); // sparse: a measurement that followed a link would count a TiB
        }
        for (Path path : List.of(outside, huge)) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwx------"));
        }
        try (Stream<Path> all = Files.walk(world)) {
            for (Path path : all.toList()) {
                Files.setLastModifiedTime(path, FileTime.from(Instant.parse("2001-02-03T04:05:06Z")));
            }
        }
        worldBefore = worldNow();

        Path source = system.newExport("race-source");
        TenantRacer.fill(source);
        sourceShare = system.manageShare("race-source", "NFS", source, 1, "p1");
        backup = system.createBackup(alice, sourceShare);
    }

    @AfterAll
    static void stopSystem() throws Exception {
        if (system != null) {
            system.close();
        }
    }

    @BeforeEach
    void nodeIsServing() {
        assertTrue(node.isAlive(), () -> "the data node exited:\n" + node.tail());
    }

    @AfterEach
    void nothingOutsideChangedAndTheNodeServes() throws Exception {
        assertEquals(worldBefore, worldNow(), "something outside the roots was created, changed or deleted");
        assertTrue(node.isAlive(), () -> "the data node exited:\n" + node.tail());
        assertEquals(List.of(), system.activeMounts());
    }

    /** What is outside: every entry's type, mode, mtime and content, and the huge file's size and mtime. */
    private static Map<String, String> worldNow() throws Exception {
        Path image = huge.resolve("huge.img");
        Map<String, String> now = new java.util.TreeMap<>(TreeSnapshot.of(world, Set.of("huge/huge.img")));
        now.put("huge/huge.img", Files.size(image) + " bytes, mtime " + Files.getLastModifiedTime(image));
        return now;
    }

    /** Waits (at most a minute) until {@code status} is one of {@code ends}, and returns it. */
    private static String awaitEnd(String what, FerrySystem.ThrowingSupplier<String> status, Set<String> ends) {
        AtomicReference<String> last = new AtomicReference<>();
        Awaitility.await(what + " ends as one of " + ends).atMost(JOB_BOUND).pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    last.set(status.get());
                    return ends.contains(last.get());
                });
        return last.get();
    }

    private static String shareStatus(String id) throws Exception {
        ApiClient.Response response = system.admin().get("/v2/shares/" + id);
        return response.status() == 404 ? "gone" : response.body().at("/share/status").asText();
    }

    private static String backupStatus(String id) throws Exception {
        ApiClient.Response response = system.admin().get("/v2/share-backups/" + id);
        return response.status() == 404 ? "gone" : response.body().at("/share_backup/status").asText();
    }

    private void report(String scenario, int failed) {
        System.out.printf("whole-process %s race: %d runs, %d swaps by the racer, %d jobs failed, "
                + "0 entries outside created/changed/deleted/read%n", scenario, RUNS, swaps.get(), failed);
        assertTrue(swaps.get() >= RUNS, "the racer swapped only " + swaps.get() + " times in " + RUNS + " runs");
    }

    @Test
    void aRestoreNeverWritesOutsideItsTarget() throws Exception {
        int failed = 0;
        for (int run = 0; run < RUNS; run++) {
            Path export = system.newExport("race-restore-" + run);
            String target = system.manageShare("race-restore-" + run, "NFS", export, 1, "p1");
            try (TenantRacer racer = new TenantRacer(export, outside, false, swaps)) {
                ApiClient.Response response = alice.post("/v2/share-backups/" + backup + "/action",
                        Map.of("restore", target));
                assertEquals(202, response.status(), response::toString);
                String end = awaitEnd("restore into " + target, () -> shareStatus(target),
                        Set.of("available", "backup_restoring_error"));
                failed += end.equals("available") ? 0 : 1;
                awaitEnd("backup " + backup, () -> backupStatus(backup), Set.of("available"));
            }
        }
        report("restore", failed);
    }

    @Test
    void aBackupNeverReadsOutsideItsShareNorOpensFifos() throws Exception {
        Path export = system.newExport("race-backup");
        TenantRacer.fill(export);
        String share = system.manageShare("race-backup", "NFS", export, 1, "p1");
        int failed = 0;
        try (TenantRacer racer = new TenantRacer(export, outside, true, swaps)) {
            for (int run = 0; run < RUNS; run++) {
                ApiClient.Response response = alice.post("/v2/share-backups",
                        Map.of("share_backup", Map.of("share_id", share, "name", "race-" + run)));
                assertEquals(202, response.status(), response::toString);
                String id = response.body().at("/share_backup/id").asText();
                String end = awaitEnd("backup " + id, () -> backupStatus(id), Set.of("available", "error"));
                failed += end.equals("available") ? 0 : 1;
                awaitEnd("share " + share, () -> shareStatus(share), Set.of("available"));
                assertNothingReadFromOutside(system.backups.resolve(id));
            }
        }
        report("backup", failed);
    }

    private static void assertNothingReadFromOutside(Path copied) throws Exception {
        if (!Files.exists(copied, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(copied)) {
            for (Path path : walk.toList()) {
                assertFalse(path.getFileName().toString().equals("secret.txt"), "the backup holds " + path);
                if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                    assertFalse(Files.readString(path).equals(SECRET), "the backup read outside the share: " + path);
                } else {
                    assertTrue(Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)
                            || Files.isSymbolicLink(path), "the backup holds a special file: " + path);
                }
            }
        }
    }

    @Test
    void aShareMadeFromABackupNeverWritesOutsideItsFolder() throws Exception {
        int failed = 0;
        for (int run = 0; run < RUNS; run++) {
            ApiClient.Response response = alice.post("/v2/shares", Map.of("share",
                    Map.of("share_proto", "NFS", "name", "race-from-backup-" + run, "backup_id", backup)));
            assertEquals(200, response.status(), response::toString);
            String id = response.body().at("/share/id").asText();
            try (TenantRacer racer = new TenantRacer(system.shares.resolve(id), outside, false, swaps)) {
                String end = awaitEnd("share " + id + " from backup", () -> shareStatus(id),
                        Set.of("available", "error"));
                failed += end.equals("available") ? 0 : 1;
                awaitEnd("backup " + backup, () -> backupStatus(backup), Set.of("available"));
            }
        }
        report("share-from-backup", failed);
    }

    @Test
    void aBackupDeleteNeverDeletesOutsideTheRepository() throws Exception {
        int failed = 0;
        for (int run = 0; run < RUNS; run++) {
            String id = system.createBackup(alice, sourceShare);
            try (TenantRacer racer = new TenantRacer(system.backups.resolve(id), outside, false, swaps)) {
                ApiClient.Response response = alice.send("DELETE", "/v2/share-backups/" + id, null);
                assertEquals(202, response.status(), response::toString);
                String end = awaitEnd("delete of backup " + id, () -> backupStatus(id),
                        Set.of("gone", "error_deleting"));
                failed += end.equals("gone") ? 0 : 1;
            }
        }
        report("backup delete", failed);
    }

    private static String newSubdirShare(String name, int sizeGib) throws Exception {
        ApiClient.Response response = alice.post("/v2/shares",
                Map.of("share", Map.of("share_proto", "NFS", "name", name, "size", sizeGib)));
        assertEquals(200, response.status(), response::toString);
        String id = response.body().at("/share/id").asText();
        system.awaitShare(id, "available", JOB_BOUND);
        return id;
    }

    @Test
    void aShareDeleteNeverDeletesOutsideTheShare() throws Exception {
        int failed = 0;
        for (int run = 0; run < RUNS; run++) {
            String id = newSubdirShare("race-delete-" + run, 1);
            Path folder = system.shares.resolve(id);
            TenantRacer.fill(folder);
            try (TenantRacer racer = new TenantRacer(folder, outside, false, swaps)) {
                assertEquals(202, alice.send("DELETE", "/v2/shares/" + id, null).status());
                String end = awaitEnd("delete of share " + id, () -> shareStatus(id), Set.of("gone", "error_deleting"));
                failed += end.equals("gone") ? 0 : 1;
            }
        }
        report("share delete", failed);
    }

    @Test
    void aShrinkNeverMeasuresOutsideTheShare() throws Exception {
        int size = RUNS + 1;
        String id = newSubdirShare("race-shrink", size);
        Path folder = system.shares.resolve(id);
        TenantRacer.fill(folder);
        int failed = 0;
        try (TenantRacer racer = new TenantRacer(folder, huge, false, swaps)) {
            for (int run = 0; run < RUNS; run++) {
                int newSize = size - 1;
                ApiClient.Response response = alice.post("/v2/shares/" + id + "/action",
                        Map.of("shrink", Map.of("new_size", newSize)));
                assertEquals(202, response.status(), response::toString);
                awaitEnd("shrink of share " + id, () -> shareStatus(id), Set.of("available", "error"));
                JsonNode share = system.share(id);
                size = share.get("size").asInt();
                failed += size == newSize ? 0 : 1;
            }
        }
        List<JsonNode> refusals = system.messages(id).stream()
                .filter(m -> "906".equals(m.get("detail_id").asText())).toList();
        assertEquals(List.of(), refusals, "a shrink was refused for lack of space: the measurement counted the "
                + "TiB outside the share");
        report("shrink", failed);
    }
}
