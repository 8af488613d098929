package dev.ferry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fault: the api-gateway killed (kill -9) between committing a restore and publishing its cast: the
 * broker is stopped while the restore is accepted, so the cast can only sit in the outbox. Checked:
 * after the broker and a new api-gateway start, the cast goes out and the restore completes once.
 */
class GatewayCrashFaultIT {
    private static FerrySystem system;

    @BeforeAll
    static void startSystem() throws Exception {
        system = FerrySystem.start("gwcrash", true);
        system.startDataNode("node-1", Map.of());
    }

    @AfterAll
    static void stopSystem() throws Exception {
        try {
            Services.startBroker();
        } finally {
            if (system != null) {
                system.close();
            }
        }
    }

    @Test
    void theCastCommittedBeforeTheCrashGoesOutAfterTheRestart() throws Exception {
        ApiClient alice = system.user("alice", "p1");
        Path a = system.newExport("a");
        SampleTree.write(a);
        String shareA = system.manageShare("a", "NFS", a, 1, "p1");
        String backup = system.createBackup(alice, shareA);
        String shareB = system.manageShare("b", "NFS", system.newExport("b"), 1, "p1");

        Services.stopBroker();
        ApiClient.Response accepted = alice.post("/v2/share-backups/" + backup + "/action", Map.of("restore", shareB));
        assertEquals(202, accepted.status(), "the restore is accepted while the broker is away: " + accepted);
        JsonNode queued = system.restoreJobFor(shareB);
        assertEquals("queued", queued.get("status").asText());
        system.api().kill9();
        Services.startBroker();
        long restartedAt = System.nanoTime();
        system.startApi();
        system.awaitShare(shareB, "available", Duration.ofSeconds(120));
        long recoveryMs = (System.nanoTime() - restartedAt) / 1_000_000;

        JsonNode job = system.job(queued.get("id").asText());
        System.out.printf("gateway crash: accepted 1 while the broker was down, api-gateway killed; restore done"
                + " %d ms after the new api-gateway started; attempts %s%n", recoveryMs, job.get("attempts"));
        assertEquals("succeeded", job.get("status").asText());
        assertEquals(1, job.get("attempts").size(), job::toString);
        assertEquals(TreeSnapshot.of(system.backups.resolve(backup)), TreeSnapshot.of(system.exports.resolve("b")));
    }
}
