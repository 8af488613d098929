package dev.ferry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Data nodes as Manila's services: {@code GET /v2/services} shows them up while they report, a node killed with
 * kill -9 goes down after FERRY_SERVICE_DOWN_SECONDS and one stopped with SIGTERM at once; a restore no up node can
 * do is refused when it arrives; a job queued while no node is up gets a user message after
 * FERRY_QUEUED_WARN_SECONDS, and runs once a node is back.
 */
class ServicesIT {
    private static final int DOWN_SECONDS = 6;
    private static FerrySystem system;
    private static ApiClient alice;

    @BeforeAll
    static void startSystem() throws Exception {
        system = FerrySystem.start("services", true, Map.of("FERRY_SERVICE_DOWN_SECONDS", Integer.toString(DOWN_SECONDS),
                "FERRY_QUEUED_WARN_SECONDS", "3"));
        alice = system.user("alice", "p1");
    }

    @AfterAll
    static void stopSystem() throws Exception {
        if (system != null) {
            system.close();
        }
    }

    /** The data nodes by host, as an admin lists them at 2.7. */
    private static Map<String, JsonNode> services() throws Exception {
        ApiClient.Response response = new ApiClient(system.baseUrl(), "admin:admin", "2.7", false).get("/v2/services");
        assertEquals(200, response.status(), response::toString);
        Map<String, JsonNode> byHost = new HashMap<>();
        response.body().get("services").forEach(s -> byHost.put(s.get("host").asText(), s));
        return byHost;
    }

    private static String state(String host) throws Exception {
        JsonNode service = services().get(host);
        return service == null ? "absent" : service.get("state").asText();
    }

    private static void awaitState(String host, String state, Duration within) {
        Awaitility.await(host + " is " + state).atMost(within).pollInterval(Duration.ofMillis(100))
                .until(() -> state.equals(state(host)));
    }

    private static void awaitNoNodeUp() {
        Awaitility.await("no data node is up").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> services().values().stream().noneMatch(s -> "up".equals(s.get("state").asText())));
    }

    @Test
    void twoNodesAreUpAKilledOneGoesDownAfterTheDownTimeAStoppedOneAtOnce() throws Exception {
        FerryProcess killed = system.startDataNode("svc-killed", Map.of());
        FerryProcess stopped = system.startDataNode("svc-stopped", Map.of());
        awaitState("svc-killed", "up", Duration.ofSeconds(10));
        awaitState("svc-stopped", "up", Duration.ofSeconds(10));
        JsonNode shown = services().get("svc-killed");
        assertEquals("manila-data", shown.get("binary").asText());
        assertEquals("nova", shown.get("zone").asText());
        assertEquals("enabled", shown.get("status").asText());
        ApiClient.Response member = new ApiClient(system.baseUrl(), "alice:p1", "2.7", false).get("/v2/services");
        assertEquals(403, member.status(), "services are for admins: " + member);

        long pid = killed.pid();
        new ProcessBuilder("kill", "-9", Long.toString(pid)).inheritIO().start().waitFor();
        long killedAt = System.nanoTime();
        assertEquals("up", state("svc-killed"), "a node that died is up until its reports are " + DOWN_SECONDS
                + " s old");
        awaitState("svc-killed", "down", Duration.ofSeconds(DOWN_SECONDS + 10));
        long seconds = Duration.ofNanos(System.nanoTime() - killedAt).toSeconds();
        assertTrue(seconds >= DOWN_SECONDS - 2, "down after about FERRY_SERVICE_DOWN_SECONDS, not " + seconds + " s");

        assertEquals(0, stopped.stop(Duration.ofSeconds(60)), "SIGTERM: a clean stop");
        awaitState("svc-stopped", "down", Duration.ofSeconds(2));
    }

    @Test
    void aRestoreIntoACifsShareIsRefusedWhenItArrivesWhileANodeIsUp() throws Exception {
        FerryProcess node = system.startDataNode("svc-nfs", Map.of());
        try {
            awaitState("svc-nfs", "up", Duration.ofSeconds(10));
            Path a = system.newExport("nfs-source");
            Files.writeString(a.resolve("f.txt"), "data\n");
            String source = system.manageShare("nfs-source", "NFS", a, 1, "p1");
            String backup = system.createBackup(alice, source);
            Path b = system.newExport("cifs-target");
            Files.writeString(b.resolve("mine.txt"), "b's own\n");
            String cifs = system.manageShare("cifs-target", "CIFS", b, 1, "p1");
            var before = TreeSnapshot.of(b);

            ApiClient.Response refused = alice.post("/v2/share-backups/" + backup + "/action", Map.of("restore", cifs));
            assertEquals(400, refused.status(), refused::toString);
            assertEquals("No data node can restore an NFS backup into a CIFS share: the up data nodes restore NFS→NFS "
                    + "only. Restore into an NFS share.", refused.body().at("/badRequest/message").asText());
            assertEquals("available", system.share(cifs).get("status").asText());
            assertEquals("available", system.backup(backup).get("status").asText());
            assertEquals(before, TreeSnapshot.of(b), "nothing was written into the CIFS share");

            Files.writeString(a.resolve("f.txt"), "changed\n");
            ApiClient.Response inPlace = alice.post("/v2/share-backups/" + backup + "/action", "{\"restore\": null}");
            assertEquals(202, inPlace.status(), inPlace::toString);
            system.awaitShare(source, "available", Duration.ofSeconds(60));
            system.awaitBackup(backup, "available", Duration.ofSeconds(10));
            assertEquals("data\n", Files.readString(a.resolve("f.txt")), "what a node can do still works");
        } finally {
            node.stop(Duration.ofSeconds(60));
        }
    }

    @Test
    void aJobQueuedWhileNoNodeIsUpGetsAUserMessageAndRunsOnceANodeIsBack() throws Exception {
        FerryProcess first = system.startDataNode("svc-before", Map.of());
        Path a = system.newExport("waiting");
        Files.writeString(a.resolve("f.txt"), "data\n");
        String share = system.manageShare("waiting", "NFS", a, 1, "p1");
        String backup = system.createBackup(alice, share);
        first.stop(Duration.ofSeconds(60));
        awaitNoNodeUp();

        Files.writeString(a.resolve("f.txt"), "changed\n");
        ApiClient.Response restore = alice.post("/v2/share-backups/" + backup + "/action", "{\"restore\": null}");
        assertEquals(202, restore.status(), "no node up: queued as before: " + restore);
        ApiClient.Response create = alice.post("/v2/shares", Map.of("share", Map.of("share_proto", "NFS", "size", 1)));
        assertEquals(200, create.status(), create::toString);
        String created = create.body().at("/share/id").asText();

        JsonNode message = system.awaitMessage(share, Duration.ofSeconds(30));
        assertEquals("028", message.get("action_id").asText());
        assertEquals("909", message.get("detail_id").asText());
        assertTrue(message.get("user_message").asText().startsWith("restore share backup: The request is queued, but "
                + "no data node is up to run it"), message.toString());
        JsonNode onCreated = system.awaitMessage(created, Duration.ofSeconds(30));
        assertEquals("002", onCreated.get("action_id").asText(), "a share's creation: on the share");
        assertEquals("909", onCreated.get("detail_id").asText());
        assertEquals("backup_restoring", system.share(share).get("status").asText(), "still queued");
        assertEquals(1, system.messages(share).size(), "told once");

        FerryProcess back = system.startDataNode("svc-after", Map.of());
        try {
            system.awaitShare(share, "available", Duration.ofSeconds(60));
            assertEquals("data\n", Files.readString(a.resolve("f.txt")), "the queued restore ran");
            system.awaitShare(created, "available", Duration.ofSeconds(60));
            assertEquals(1, system.messages(share).size(), "no other message");
        } finally {
            back.stop(Duration.ofSeconds(60));
        }
    }
}
