package dev.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.ApiConfig;
import dev.ferry.api.ApiGateway;
import dev.ferry.messages.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code ferry share ...}, {@code ferry token}, {@code ferry version} and friends against an api-gateway running in
 * this JVM (H2, no broker: work is queued, never done; {@code CliIT} runs it with data nodes).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShareCommandTest {
    private ApiGateway gateway;
    private String url;
    private String docs;
    private String backup;

    private JobsCommandTest.Run ferry(String... args) {
        return JobsCommandTest.ferry(Map.of("FERRY_API_URL", url, "FERRY_API_TOKEN", "alice:p1"), args);
    }

    @BeforeAll
    void start() throws Exception {
        String dbUrl = "jdbc:h2:mem:cli-share-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        gateway = ApiGateway.start(ApiConfig.fromEnv(Map.of("FERRY_HTTP_BIND", "127.0.0.1:0", "FERRY_DB_URL", dbUrl,
                "FERRY_HOST", "cli-share-test", "FERRY_SHARE_BASE_EXPORT", "10.0.0.9:/exports/ferry")).withoutBroker());
        url = "http://127.0.0.1:" + gateway.port();
        docs = manage("docs", "10.0.0.5:/exports/docs", 10);
        manage("twin", "10.0.0.5:/exports/twin-a", 1);
        manage("twin", "10.0.0.5:/exports/twin-b", 2);
        backup = call("POST", "/v2/share-backups", "alice:p1", "{\"share_backup\": {\"share_id\": \"" + docs
                + "\", \"name\": \"nightly\"}}").path("share_backup").path("id").asText();
    }

    @AfterAll
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private String manage(String name, String export, int size) throws Exception {
        return call("POST", "/v2/shares/manage", "admin:admin", "{\"share\": {\"protocol\": \"NFS\", \"export_path\": \""
                + export + "\", \"size\": " + size + ", \"project_id\": \"p1\", \"name\": \"" + name + "\"}}")
                .path("share").path("id").asText();
    }

    private JsonNode call(String method, String path, String token, String body) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + path))
                .method(method, HttpRequest.BodyPublishers.ofString(body)).header("X-Auth-Token", token)
                .header("Content-Type", "application/json").header("X-OpenStack-Manila-API-Version", "2.91")
                .header("X-OpenStack-Manila-API-Experimental", "True").build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(response.statusCode() / 100 == 2, response.statusCode() + " " + response.body());
        return Json.parse(response.body());
    }

    @Test
    void anAdminMakesAShareTypeThatUsersListShowAndCreateSharesWith() {
        Map<String, String> admin = Map.of("FERRY_API_URL", url, "FERRY_API_TOKEN", "admin:admin");
        JobsCommandTest.Run created = JobsCommandTest.ferry(admin, "share", "type", "create", "nfs-gold", "false",
                "--description", "fast", "--extra-specs", "provisioning:max_share_size=100", "-f", "json");
        assertEquals(0, created.status(), created.err());
        assertTrue(created.out().contains("\"provisioning:max_share_size : 100\""), created.out());
        JobsCommandTest.Run denied = ferry("share", "type", "create", "mine", "false");
        assertEquals(1, denied.status(), denied.out());
        assertTrue(denied.err().contains("Access was denied"), denied.err());

        JobsCommandTest.Run listed = ferry("share", "type", "list", "-f", "value", "-c", "Name", "-c", "Visibility");
        assertEquals(0, listed.status(), listed.err());
        assertTrue(listed.out().contains("nfs-gold public"), listed.out());
        JobsCommandTest.Run shown = ferry("share", "type", "show", "nfs-gold", "-f", "value", "-c", "description");
        assertEquals("fast\n", shown.out(), shown.err());

        JobsCommandTest.Run share = JobsCommandTest.ferry(Map.of("FERRY_API_URL", url, "FERRY_API_TOKEN", "carol:p9"),
                "share", "create", "NFS", "1", "--name", "typed", "--share-type", "nfs-gold", "-f", "value", "-c",
                "share_type_name");
        assertEquals(0, share.status(), share.err());
        assertEquals("nfs-gold\n", share.out());
        JobsCommandTest.Run inUse = JobsCommandTest.ferry(admin, "share", "type", "delete", "nfs-gold");
        assertEquals(1, inUse.status(), inUse.out());
        assertTrue(inUse.err().contains("still in use"), inUse.err());
    }

    @Test
    void aShareIsFoundByNameOrId() {
        JobsCommandTest.Run byName = ferry("share", "show", "docs", "-f", "value", "-c", "id", "-c", "name");
        assertEquals(0, byName.status(), byName.err());
        assertEquals(docs + "\ndocs\n", byName.out());

        JobsCommandTest.Run byId = ferry("share", "show", docs);
        assertEquals(0, byId.status(), byId.err());
        assertTrue(byId.lines().get(1).matches("\\| Field +\\| Value +\\|"), byId.out());
        assertTrue(byId.lines().stream().anyMatch(l -> l.matches("\\| export_locations +\\| 10\\.0\\.0\\.5:/exports/docs +\\|")),
                byId.out());
        assertTrue(byId.lines().stream().anyMatch(l -> l.matches("\\| name +\\| docs +\\|")), byId.out());
    }

    @Test
    void aNameThatMatchesNothingOrSeveralIsAnErrorThatSaysSo() {
        JobsCommandTest.Run none = ferry("share", "show", "nope");
        assertEquals(1, none.status());
        assertEquals("ferry: No share with a name or ID of 'nope' exists.\n", none.err());
        assertEquals("", none.out());

        JobsCommandTest.Run twins = ferry("share", "backup", "create", "twin");
        assertEquals(1, twins.status());
        assertTrue(twins.err().startsWith("ferry: More than one share exists with the name 'twin'; use one's ID: "),
                twins.err());

        JobsCommandTest.Run noBackup = ferry("share", "backup", "restore", "weekly", "--target-share", "docs");
        assertEquals(1, noBackup.status());
        assertEquals("ferry: No share backup with a name or ID of 'weekly' exists.\n", noBackup.err());

        JobsCommandTest.Run noTarget = ferry("share", "backup", "restore", "nightly", "--target-share", "nope");
        assertEquals(1, noTarget.status());
        assertEquals("ferry: No share with a name or ID of 'nope' exists.\n", noTarget.err());
    }

    @Test
    void shareListHasTheOpenStackClientsColumnsInEveryFormat() throws Exception {
        JobsCommandTest.Run table = ferry("share", "list");
        assertEquals(0, table.status(), table.err());
        assertTrue(table.lines().get(1).matches("\\| ID +\\| Name +\\| Size \\| Share Proto \\| Status +\\| Is Public "
                + "\\| Share Type Name \\| Host +\\| Availability Zone \\|"), table.out());
        assertTrue(table.lines().stream().anyMatch(l -> l.matches("\\| " + docs + " \\| docs +\\| +10 \\| NFS +\\| "
                + "backup_creating \\| False +\\| None +\\| .* \\| None +\\|")), table.out());

        JsonNode json = Json.parse(ferry("share", "list", "--name", "docs", "-f", "json").out());
        assertEquals(1, json.size(), json::toString);
        assertEquals(List.of("ID", "Name", "Size", "Share Proto", "Status", "Is Public", "Share Type Name", "Host",
                "Availability Zone"), iterable(json.get(0).fieldNames()));
        assertEquals(10, json.get(0).get("Size").asInt());

        assertEquals("docs 10\ntwin 1\ntwin 2\n", sorted(ferry("share", "list", "-f", "value", "-c", "Name", "-c",
                "Size").out()));
        JobsCommandTest.Run csv = ferry("share", "list", "--name", "docs", "-f", "csv", "-c", "ID", "-c", "Size");
        assertEquals("\"ID\",\"Size\"\n\"" + docs + "\",10\n", csv.out());
        JobsCommandTest.Run yaml = ferry("share", "list", "--name", "docs", "-f", "yaml", "-c", "Name", "-c", "Size");
        assertEquals("- Name: docs\n  Size: 10\n", yaml.out());
    }

    @Test
    void backupsAreListedShownAndRenamedByName() throws Exception {
        JobsCommandTest.Run list = ferry("share", "backup", "list", "--share", "docs", "-f", "json");
        assertEquals(0, list.status(), list.err());
        JsonNode rows = Json.parse(list.out());
        assertEquals(1, rows.size(), list.out());
        assertEquals(List.of("ID", "Name", "Share ID", "Status"), iterable(rows.get(0).fieldNames()));
        assertEquals(docs, rows.get(0).get("Share ID").asText());

        JsonNode shown = Json.parse(ferry("share", "backup", "show", "nightly", "-f", "json").out());
        assertEquals(backup, shown.get("id").asText());
        assertEquals(docs, shown.get("share_id").asText());
        assertTrue(shown.has("restore_progress"), shown::toString);

        JobsCommandTest.Run set = ferry("share", "backup", "set", "nightly", "--name", "nightly-2", "--description",
                "before the upgrade", "-f", "value", "-c", "name", "-c", "description");
        assertEquals(0, set.status(), set.err());
        assertEquals("before the upgrade\nnightly-2\n", set.out());
        JobsCommandTest.Run renamedBack = ferry("share", "backup", "set", backup, "--name", "nightly", "-f", "value",
                "-c", "name");
        assertEquals("nightly\n", renamedBack.out());
    }

    @Test
    void aBadFormatOrColumnIsRefusedBeforeAnythingHappens() {
        JobsCommandTest.Run format = ferry("share", "list", "-f", "xml");
        assertEquals(2, format.status());
        assertTrue(format.err().contains("unknown format 'xml': use table|json|value|yaml|csv"), format.err());

        JobsCommandTest.Run column = ferry("share", "backup", "show", "nightly", "-c", "colour");
        assertEquals(2, column.status());
        assertTrue(column.err().contains("no column 'colour'; the columns are "), column.err());
    }

    @Test
    void tokenCreatePrintsATokenAndTheLineWithItsHash() throws Exception {
        JobsCommandTest.Run run = ferry("token", "create", "backup-svc", "p-42");
        assertEquals(0, run.status(), run.err());
        String token = run.lines().get(0).replaceAll(".*: ", "");
        assertTrue(token.matches("[0-9a-f]{64}"), run.out());
        assertEquals("Add this line to FERRY_TOKENS_FILE:", run.lines().get(1));
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(token.getBytes(StandardCharsets.UTF_8)));
        assertEquals(hash + " backup-svc p-42 member,reader", run.lines().get(2));

        JsonNode json = Json.parse(ferry("token", "create", "ops", "admin", "admin", "-f", "json").out());
        assertTrue(json.get("tokens_file_line").asText().endsWith(" ops admin admin"), json::toString);
        assertTrue(!json.get("token").asText().equals(token), "a new token each time");

        JobsCommandTest.Run spaced = ferry("token", "create", "bob", "p1", "member, reader");
        assertEquals(2, spaced.status());
        assertTrue(spaced.err().contains("<roles> 'member, reader' is not a comma-separated list"), spaced.err());
    }

    @Test
    void versionHelpAndCompletion() {
        JobsCommandTest.Run version = ferry("version");
        assertEquals(0, version.status(), version.err());
        assertTrue(version.out().strip().matches("ferry \\S+ \\(commit ([0-9a-f]{40}|unknown: built outside git)\\)"),
                version.out());
        assertEquals(version.out(), ferry("--version").out());

        JobsCommandTest.Run help = ferry("help", "share");
        assertEquals(0, help.status(), help.err());
        assertTrue(help.out().contains("Usage: ferry share") && help.out().contains("backup"), help.out());

        JobsCommandTest.Run completion = ferry("completion");
        assertEquals(0, completion.status(), completion.err());
        assertTrue(completion.out().contains("complete -F _complete_ferry") && completion.out().contains("restore"),
                completion.out().lines().limit(5).toList().toString());
    }

    private static List<String> iterable(java.util.Iterator<String> names) {
        List<String> list = new java.util.ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }

    private static String sorted(String lines) {
        return String.join("\n", lines.lines().sorted().toList()) + "\n";
    }
}
