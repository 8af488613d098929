package dev.ferry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A data node with a 64 MiB heap backs up and restores a tree of 400,000 empty folders and 100,000 small files:
 * what the copy holds is bounded by depth and concurrency, not by the number of folders. The node logs its
 * garbage collections, and the test reports the most heap in use before and after a collection. The exports and
 * the backup repository are tmpfs mounts, so that writing and dropping a million and a half entries takes
 * seconds rather than minutes on a small disk.
 */
class LargeTreeIT {
    private static final int EMPTY_FOLDERS = 400_000;
    private static final int FILES = 100_000;
    private static final int PER_FOLDER = 1_000;
    private static final Duration BOUND = Duration.ofMinutes(5);
    private static final Pattern GC_LINE = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");
    private static FerrySystem system;
    private static FerryProcess node;
    private static Path gcLog;

    @BeforeAll
    static void startSystem() throws Exception {
        system = FerrySystem.start("large-tree", true);
        system.mountTmpfs(system.exports, "4g");
        system.mountTmpfs(system.backups, "4g");
        gcLog = system.root.resolve("node-gc.log");
        node = system.startDataNode("node-1", Map.of("FERRY_JAVA_OPTS", "-Xmx64m -Xlog:gc:file=" + gcLog));
    }

    @AfterAll
    static void stopSystem() throws Exception {
        if (system != null) {
            system.close();
        }
    }

    private static void write(Path root) throws IOException {
        for (int d = 0; d < EMPTY_FOLDERS / PER_FOLDER; d++) {
            Path folder = Files.createDirectories(root.resolve("empty-" + d));
            for (int i = 0; i < PER_FOLDER; i++) {
                Files.createDirectory(folder.resolve("e" + i));
            }
        }
        byte[] small = "a small file\n".getBytes();
        for (int d = 0; d < FILES / PER_FOLDER; d++) {
            Path folder = Files.createDirectories(root.resolve("files-" + d));
            for (int i = 0; i < PER_FOLDER; i++) {
                Files.write(folder.resolve("f" + i), small);
            }
        }
    }

    /** Folders and regular files below {@code root}, not counting it. */
    private static long[] count(Path root) throws IOException {
        long[] counts = new long[2];
        try (Stream<Path> walk = Files.walk(root)) {
            walk.forEach(path -> counts[Files.isDirectory(path) ? 0 : 1]++);
        }
        counts[0]--;
        return counts;
    }

    @Test
    void aSixtyFourMebibyteNodeBacksUpAndRestoresFourHundredThousandFolders() throws Exception {
        Path source = system.newExport("large-source");
        write(source);
        long[] expected = {EMPTY_FOLDERS + EMPTY_FOLDERS / PER_FOLDER + FILES / PER_FOLDER, FILES};
        ApiClient alice = system.user("alice", "p1");
        String share = system.manageShare("large-source", "NFS", source, 10, "p1");

        long started = System.nanoTime();
        ApiClient.Response created = alice.post("/v2/share-backups",
                Map.of("share_backup", Map.of("share_id", share, "name", "large")));
        assertEquals(202, created.status(), created::toString);
        String backup = created.body().at("/share_backup/id").asText();
        system.awaitBackup(backup, "available", BOUND);
        long backupMs = (System.nanoTime() - started) / 1_000_000;
        long[] backedUp = count(system.backups.resolve(backup));
        assertEquals(expected[0], backedUp[0], "folders in the backup");
        assertEquals(expected[1], backedUp[1], "files in the backup");

        Path targetExport = system.newExport("large-target");
        String target = system.manageShare("large-target", "NFS", targetExport, 10, "p1");
        started = System.nanoTime();
        ApiClient.Response restore = alice.post("/v2/share-backups/" + backup + "/action", Map.of("restore", target));
        assertEquals(202, restore.status(), restore::toString);
        system.awaitShare(target, "available", BOUND);
        long restoreMs = (System.nanoTime() - started) / 1_000_000;
        long[] restored = count(targetExport);
        assertEquals(expected[0], restored[0], "folders restored");
        assertEquals(expected[1], restored[1], "files restored");
        assertTrue(node.isAlive(), node::tail);

        long[] heap = heapFromGcLog();
        System.out.printf("400,000 empty folders + 100,000 files on a -Xmx64m node: backup %d ms, restore %d ms; "
                + "%d collections, heap in use at most %d MiB before a collection and %d MiB after one%n", backupMs,
                restoreMs, heap[2], heap[0], heap[1]);
        assertTrue(heap[2] > 0, "the node logged no garbage collection in " + gcLog);
    }

    /** {max MiB used before a collection, max MiB used after one, number of collections} from -Xlog:gc. */
    private static long[] heapFromGcLog() throws IOException {
        long[] heap = new long[3];
        for (String line : Files.readAllLines(gcLog)) {
            Matcher m = GC_LINE.matcher(line);
            if (m.find()) {
                heap[0] = Math.max(heap[0], Long.parseLong(m.group(1)));
                heap[1] = Math.max(heap[1], Long.parseLong(m.group(2)));
                heap[2]++;
            }
        }
        return heap;
    }
}
