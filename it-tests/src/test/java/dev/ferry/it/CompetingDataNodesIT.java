package dev.ferry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two data-manager processes consume the same queue; each holds one job at a time, so both take work. */
class CompetingDataNodesIT {
    private static FerrySystem system;
    private static FerryProcess node1;
    private static FerryProcess node2;

    @BeforeAll
    static void startSystem() throws Exception {
        system = FerrySystem.start("competing", true);
        node1 = system.startDataNode("node-1", Map.of());
        node2 = system.startDataNode("node-2", Map.of());
    }

    @AfterAll
    static void stopSystem() throws Exception {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void bothNodesTakeJobs() throws Exception {
        ApiClient alice = system.user("alice", "p1");
        Path a = system.newExport("a");
        byte[] data = new byte[32 * 1024 * 1024];
        new Random(7).nextBytes(data);
        Files.write(a.resolve("big.bin"), data);
        String shareA = system.manageShare("a", "NFS", a, 1, "p1");
        List<String> backups = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            backups.add(system.createBackup(alice, shareA));
        }
        List<String> targets = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String target = system.manageShare("t" + i, "NFS", system.newExport("t" + i), 1, "p1");
            targets.add(target);
            assertEquals(202, alice.post("/v2/share-backups/" + backups.get(i) + "/action",
                    Map.of("restore", target)).status());
        }
        for (int i = 0; i < 4; i++) {
            system.awaitShare(targets.get(i), "available", Duration.ofSeconds(120));
            assertEquals(TreeSnapshot.of(a), TreeSnapshot.of(system.exports.resolve("t" + i)));
        }
        int byNode1 = count(node1.log(), "claimed job");
        int byNode2 = count(node2.log(), "claimed job");
        System.out.printf("jobs claimed: node-1 %d, node-2 %d%n", byNode1, byNode2);
        assertEquals(8, byNode1 + byNode2, "4 backups and 4 restores, each claimed once");
        assertTrue(byNode1 > 0 && byNode2 > 0, "both nodes took jobs: node-1 " + byNode1 + ", node-2 " + byNode2);
    }

    private static int count(String text, String needle) {
        int count = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            count++;
        }
        return count;
    }
}
