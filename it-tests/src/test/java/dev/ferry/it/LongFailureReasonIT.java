package dev.ferry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A failure whose reason is far longer than the database's 4,096-character column (here: a mount command that
 * fails after printing 18,000 characters, as a confused NFS client can) ends the job {@code failed} with a user
 * message, within a minute and in one attempt, instead of being re-dispatched forever.
 */
class LongFailureReasonIT {
    private static final Duration BOUND = Duration.ofSeconds(60);
    private static FerrySystem system;
    private static ApiClient alice;

    @BeforeAll
    static void startSystem() throws Exception {
        system = FerrySystem.start("long-reason", true);
        Path mount = system.root.resolve("noisy-mount.sh");
        Files.writeString(mount, """
                #!/bin/sh
                # mounts like mount --bind, except exports named *noisy*: those fail after a long complaint
                case "$*" in
                  *noisy*)
                    i=0
                    while [ $i -lt 300 ]; do
                      echo "mount.nfs: the server refused the export with a long story, line $i of 300"
                      i=$((i+1))
                    done
                    exit 32;;
                esac
                exec mount --bind "$@"
                """);
        Files.setPosixFilePermissions(mount, PosixFilePermissions.fromString("rwxr-xr-x"));
        system.startDataNode("node-1", Map.of("FERRY_SHARE_MOUNT_TEMPLATE",
                mount + " %(options)s %(export)s %(path)s"));
        alice = system.user("alice", "p1");
    }

    @AfterAll
    static void stopSystem() throws Exception {
        if (system != null) {
            system.close();
        }
    }

    @AfterEach
    void nothingStaysMounted() throws Exception {
        assertEquals(List.of(), system.activeMounts());
    }

    /** The job failed once, with a bounded reason, and its resource carries a user message. */
    private static void assertFailedOnceWithAMessage(JsonNode job, String resourceId, long startedNanos) {
        assertEquals("failed", job.get("status").asText(), job::toString);
        assertEquals(1, job.get("attempts").size(), () -> "one attempt, not re-dispatched: " + job);
        String reason = job.get("reason").asText();
        assertTrue(reason.contains("exited with status 32"), reason);
        assertTrue(reason.length() <= 1_000, () -> "the reason is bounded, was " + reason.length() + " characters");
        assertTrue(reason.contains(" … ") && reason.endsWith("Check the export, the node's access to it and the mount "
                + "template"), () -> "a shortened reason keeps its beginning and its end (what to do): " + reason);
        JsonNode message = system.awaitMessage(resourceId, BOUND);
        assertTrue(message.get("user_message").asText().length() < 1_000, message::toString);
        System.out.printf("a failure with an 18,000-character reason: job %s failed in %d ms, one attempt, reason "
                + "kept to %d characters%n", job.get("kind").asText(), (System.nanoTime() - startedNanos) / 1_000_000,
                reason.length());
    }

    @Test
    void aBackupWhoseMountFailsLoudlyEndsInErrorOnce() throws Exception {
        Path export = system.newExport("noisy-source");
        Files.writeString(export.resolve("a.txt"), "a\n");
        String share = system.manageShare("noisy-source", "NFS", export, 1, "p1");
        long started = System.nanoTime();
        ApiClient.Response response = alice.post("/v2/share-backups",
                Map.of("share_backup", Map.of("share_id", share, "name", "noisy")));
        assertEquals(202, response.status(), response::toString);
        String backup = response.body().at("/share_backup/id").asText();
        system.awaitBackup(backup, "error", BOUND);
        system.awaitShare(share, "available", BOUND);
        JsonNode job = system.jobs("create_backup").stream()
                .filter(j -> backup.equals(j.get("backup_id").asText())).findFirst().orElseThrow();
        assertFailedOnceWithAMessage(system.job(job.get("id").asText()), backup, started);
    }

    @Test
    void aRestoreWhoseTargetMountFailsLoudlyEndsInErrorOnce() throws Exception {
        Path source = system.newExport("quiet-source");
        SampleTree.write(source);
        String backup = system.createBackup(alice, system.manageShare("quiet-source", "NFS", source, 1, "p1"));
        Path export = system.newExport("noisy-target");
        String target = system.manageShare("noisy-target", "NFS", export, 1, "p1");
        long started = System.nanoTime();
        ApiClient.Response response = alice.post("/v2/share-backups/" + backup + "/action", Map.of("restore", target));
        assertEquals(202, response.status(), response::toString);
        String job = system.restoreJobFor(target).get("id").asText();
        Awaitility.await("restore job " + job + " fails").atMost(BOUND).pollInterval(Duration.ofMillis(100))
                .until(() -> "failed".equals(system.job(job).get("status").asText()));
        assertFailedOnceWithAMessage(system.job(job), target, started);
        assertEquals("available", system.awaitShare(target, "available", BOUND).get("status").asText(),
                "nothing was written: the target is available again");
        system.awaitBackup(backup, "available", BOUND);
    }
}
