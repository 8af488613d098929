package dev.ferry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Secrets stay out of logs, reasons, user messages and the admin API: the api-gateway runs with a password in
 * FERRY_DB_URL (PostgreSQL here trusts 127.0.0.1, so any password is accepted) and a data node mounts with
 * options that carry a password. A restore whose mount fails (the mount helper repeats its options, as
 * {@code mount.nfs -v} does) fails with a reason that shows {@code <options>}; a backup and an honest restore with
 * the same options still work; and no process ever printed either password.
 */
class SecretsInLogsIT {
    private static final String DB_PASSWORD = "Db-Pa55word-never-logged";
    private static final String MOUNT_PASSWORD = "Mount-Pa55word-never-shown";
    private static final String MOUNT_OPTIONS = "-o username=svc-ferry,password=" + MOUNT_PASSWORD;
    private static final Duration BOUND = Duration.ofSeconds(90);
    private static String database;
    private static FerrySystem system;
    private static ApiClient alice;

    @BeforeAll
    static void startSystem() throws Exception {
        Services.require();
        database = Services.newDatabase();
        system = FerrySystem.start("secrets", true, Map.of("FERRY_DB_URL", database + "?user=" + Services.DB_USER
                + "&password=" + DB_PASSWORD + "&ApplicationName=ferry"));
        Path mount = system.root.resolve("option-mount.sh");
        // mounts like mount --bind (without the options, which bind mounts do not take), except exports named
        // *locked*: for those it repeats its options, as mount.nfs -v does, and fails
        Files.writeString(mount, """
                #!/bin/sh
                options="$1 $2"; export="$3"; path="$4"
                case "$export" in
                  *locked*)
                    echo "mount.nfs: trying text-based options '$2,vers=4.2,addr=127.0.0.1'"
                    echo "mount.nfs: access denied by server while mounting $export"
                    exit 32;;
                esac
                exec mount --bind "$export" "$path"
                """);
        Files.setPosixFilePermissions(mount, PosixFilePermissions.fromString("rwxr-xr-x"));
        String template = mount + " %(options)s %(export)s %(path)s";
        system.startDataNode("node-1", Map.of("FERRY_SHARE_MOUNT_TEMPLATE", template,
                "FERRY_BACKUP_MOUNT_TEMPLATE", template, "FERRY_SHARE_MOUNT_OPTIONS", MOUNT_OPTIONS,
                "FERRY_BACKUP_MOUNT_OPTIONS", MOUNT_OPTIONS));
        alice = system.user("alice", "p1");
    }

    @AfterAll
    static void stopSystem() throws Exception {
        if (system != null) {
            system.close();
        }
        if (database != null) {
            Services.dropDatabase(database);
        }
    }

    @Test
    void noPasswordReachesALogLineAReasonAUserMessageOrTheAdminApi() throws Exception {
        Path source = system.newExport("source");
        SampleTree.write(source);
        String backup = system.createBackup(alice, system.manageShare("source", "NFS", source, 1, "p1"));

        // a restore whose target cannot be mounted fails, with a reason an operator can act on
        String locked = system.manageShare("locked-target", "NFS", system.newExport("locked-target"), 1, "p1");
        ApiClient.Response refused = alice.post("/v2/share-backups/" + backup + "/action", Map.of("restore", locked));
        assertEquals(202, refused.status(), refused::toString);
        String failedJob = system.restoreJobFor(locked).get("id").asText();
        Awaitility.await("restore job " + failedJob + " fails").atMost(BOUND).pollInterval(Duration.ofMillis(100))
                .until(() -> "failed".equals(system.job(failedJob).get("status").asText()));
        String reason = system.job(failedJob).get("reason").asText();
        assertTrue(reason.contains("<options>"), reason);
        assertTrue(reason.contains("exited with status 32"), reason);
        assertTrue(reason.contains("access denied by server while mounting"), reason);
        JsonNode message = system.awaitMessage(locked, BOUND);
        system.awaitShare(locked, "available", BOUND);
        system.awaitBackup(backup, "available", BOUND);

        // the honest restore, with the same secret options, still works
        Path open = system.newExport("open-target");
        String target = system.manageShare("open-target", "NFS", open, 1, "p1");
        ApiClient.Response accepted = alice.post("/v2/share-backups/" + backup + "/action", Map.of("restore", target));
        assertEquals(202, accepted.status(), accepted::toString);
        system.awaitShare(target, "available", BOUND);
        String doneJob = system.restoreJobFor(target).get("id").asText();
        Awaitility.await("restore job " + doneJob + " succeeds").atMost(BOUND).pollInterval(Duration.ofMillis(100))
                .until(() -> "succeeded".equals(system.job(doneJob).get("status").asText()));
        assertEquals(TreeSnapshot.of(source, Set.of("lost+found", "lost+found/fragment")), TreeSnapshot.of(open),
                "the honest restore copied the whole tree (lost+found is never backed up)");
        assertEquals(List.of(), system.activeMounts());

        // nowhere a password: job reasons and lists of the admin API, user messages, backups, and every log line
        List<String> answers = List.of(system.admin().get("/admin/jobs?limit=1000").toString(),
                system.admin().get("/admin/jobs/" + failedJob).toString(), message.toString(),
                alice.get("/v2/messages").toString(), system.admin().get("/v2/messages?all_tenants=1").toString(),
                alice.get("/v2/share-backups/detail").toString(), system.admin().get("/v2/shares/detail").toString());
        for (String answer : answers) {
            assertNoSecret("an API answer", answer);
        }
        String logs = system.logs();
        assertTrue(logs.contains("password=***"), "the gateway logs its database URL, masked");
        assertTrue(logs.contains("<options>"), "the data node logs the failed mount, masked");
        for (String line : logs.split("\n")) {
            assertNoSecret("a log line", line);
        }
    }

    private static void assertNoSecret(String where, String text) {
        for (String secret : List.of(DB_PASSWORD, MOUNT_PASSWORD, "username=svc-ferry")) {
            assertFalse(text.contains(secret), () -> "'" + secret + "' in " + where + ": " + text);
        }
    }
}
