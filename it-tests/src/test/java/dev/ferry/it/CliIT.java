package dev.ferry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.cli.Ferry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import picocli.CommandLine;

/**
 * The {@code ferry} CLI (run in this JVM through {@link Ferry#commandLine}) against a real api-gateway in
 * {@code FERRY_AUTH=tokens} mode, whose tokens file holds lines that {@code ferry token create} printed, and a data
 * node: shares and backups by name, {@code --wait} with its percentages, a failing restore's exit status and user
 * message, and every output format of list and show.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliIT {
    private static final String MIB_PER_SECOND_4 = Integer.toString(4 * 1024 * 1024);
    private Path tokens;
    private FerrySystem system;
    private ApiClient admin;
    private String aliceToken;
    private String backupId;

    /** What a run of ferry printed, and its exit status. */
    record Run(int status, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }

        @Override
        public String toString() {
            return "exit " + status + "\nstdout:\n" + out + "stderr:\n" + err;
        }
    }

    private static Run ferry(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine ferry = Ferry.commandLine(env);
        ferry.setOut(new PrintWriter(out, true));
        ferry.setErr(new PrintWriter(err, true));
        int status = ferry.execute(args);
        Run run = new Run(status, out.toString(), err.toString());
        System.out.println("$ ferry " + String.join(" ", args) + "\n" + run);
        return run;
    }

    /** ferry as alice (project p1), with the token `ferry token create` made for her. */
    private Run alice(String... args) {
        return ferry(Map.of("FERRY_API_URL", system.baseUrl(), "FERRY_API_TOKEN", aliceToken), args);
    }

    /** `ferry token create`'s token and line, the line appended to the tokens file. */
    private String createToken(String... userProjectRoles) throws Exception {
        List<String> args = new ArrayList<>(List.of("token", "create"));
        args.addAll(List.of(userProjectRoles));
        args.addAll(List.of("-f", "json"));
        Run run = ferry(Map.of(), args.toArray(String[]::new));
        assertEquals(0, run.status(), run::toString);
        JsonNode made = ApiClient.JSON.readTree(run.out());
        Files.writeString(tokens, made.get("tokens_file_line").asText() + "\n", java.nio.file.StandardOpenOption.APPEND);
        return made.get("token").asText();
    }

    @BeforeAll
    void startSystem() throws Exception {
        tokens = Files.createTempFile("ferry-cli-it-tokens-", "");
        Files.writeString(tokens, "# made by ferry token create\n");
        String adminToken = createToken("ops", "admin", "admin,member,reader");
        system = FerrySystem.start("cli", true, Map.of("FERRY_AUTH", "tokens", "FERRY_TOKENS_FILE",
                tokens.toString()));
        // restores of a few MiB take a couple of seconds, so that --wait sees the percentage move
        system.startDataNode("node-1", Map.of("FERRY_COPY_MAX_BYTES_PER_SECOND", MIB_PER_SECOND_4));
        admin = new ApiClient(system.baseUrl(), adminToken, "2.91", true);
        aliceToken = createToken("alice", "p1"); // added while the gateway runs: the file is read again
    }

    @AfterAll
    void stopSystem() throws Exception {
        if (system != null) {
            system.close();
        }
        Files.deleteIfExists(tokens);
    }

    private String manage(String name) throws Exception {
        Path export = system.newExport(name);
        Map<String, Object> share = new HashMap<>();
        share.put("protocol", "NFS");
        share.put("export_path", export.toString());
        share.put("name", name);
        share.put("size", 1);
        share.put("project_id", "p1");
        ApiClient.Response response = admin.post("/v2/shares/manage", Map.of("share", share));
        assertEquals(200, response.status(), response::toString);
        return response.body().at("/share/id").asText();
    }

    /** The --wait lines of a run: each a percentage, rising, the last 100%. */
    private static void assertPercentagesUpTo100(String progress) {
        List<String> lines = progress.lines().toList();
        assertFalse(lines.isEmpty(), "--wait printed no progress");
        int last = -1;
        for (String line : lines) {
            assertTrue(line.matches("\\d{1,3}%"), "a plain percentage line: '" + line + "' in\n" + progress);
            int percent = Integer.parseInt(line.substring(0, line.length() - 1));
            assertTrue(percent > last, "each line a new, higher percentage:\n" + progress);
            last = percent;
        }
        assertEquals("100%", lines.get(lines.size() - 1), progress);
    }

    @Test
    @Order(1)
    void tokensMadeByTheCliAreAcceptedAndOthersRefused() throws Exception {
        Run whoami = alice("share", "list", "-f", "json");
        assertEquals(0, whoami.status(), whoami::toString);
        Run stranger = ferry(Map.of("FERRY_API_URL", system.baseUrl()), "share", "list", "--token", "alice:p1");
        assertEquals(1, stranger.status(), stranger::toString);
        assertTrue(stranger.err().startsWith("ferry: ") && stranger.err().contains("(HTTP 401)"), stranger::toString);
    }

    @Test
    @Order(2)
    void createABackupAndRestoreItIntoAShareNamedOnTheCommandLine() throws Exception {
        String source = manage("projects");
        Path sourceFolder = system.exports.resolve("projects");
        byte[] mib = new byte[1024 * 1024];
        for (int i = 0; i < 8; i++) {
            java.util.Arrays.fill(mib, (byte) i);
            Files.write(sourceFolder.resolve("part-" + i + ".bin"), mib);
        }
        Files.writeString(sourceFolder.resolve("readme.txt"), "hello\n");
        String target = manage("projects-copy");

        Run created = alice("share", "create", "NFS", "1", "--name", "scratch", "--wait", "-f", "json");
        assertEquals(0, created.status(), created::toString);
        JsonNode scratch = ApiClient.JSON.readTree(created.out());
        assertEquals("available", scratch.get("status").asText(), created::toString);
        assertEquals("scratch", scratch.get("name").asText());
        assertTrue(Files.isDirectory(system.shares.resolve(scratch.get("id").asText())), "the share's folder exists");

        Run backup = alice("share", "backup", "create", "projects", "--name", "nightly", "--wait", "-f", "json");
        assertEquals(0, backup.status(), backup::toString);
        JsonNode made = ApiClient.JSON.readTree(backup.out());
        assertEquals("available", made.get("status").asText(), backup::toString);
        assertEquals(source, made.get("share_id").asText());
        assertPercentagesUpTo100(backup.err()); // with -f json the percentages go to stderr
        backupId = made.get("id").asText();

        Run restore = alice("share", "backup", "restore", "nightly", "--target-share", "projects-copy", "--wait");
        assertEquals(0, restore.status(), restore::toString);
        assertPercentagesUpTo100(restore.out());
        assertEquals("", restore.err());
        Path copy = system.exports.resolve("projects-copy");
        assertEquals("hello\n", Files.readString(copy.resolve("readme.txt")));
        for (int i = 0; i < 8; i++) {
            assertEquals(-1L, Files.mismatch(sourceFolder.resolve("part-" + i + ".bin"), copy.resolve("part-" + i
                    + ".bin")));
        }
        Run status = alice("share", "show", target, "-f", "value", "-c", "status", "-c", "source_backup_id");
        assertEquals(backupId + "\navailable\n", status.out(), status::toString); // in the record's (sorted) order

        Run fromBackup = alice("share", "create", "NFS", "--backup-id", "nightly", "--name", "from-nightly", "--wait",
                "-f", "value", "-c", "status");
        assertEquals(0, fromBackup.status(), fromBackup::toString);
        assertEquals("available\n", fromBackup.out());
        assertPercentagesUpTo100(fromBackup.err());
    }

    @Test
    @Order(3)
    void everyOutputFormatOfListAndShow() throws Exception {
        Run table = alice("share", "backup", "list");
        assertEquals(0, table.status(), table::toString);
        assertEquals(List.of("+--------------------------------------+---------+--------------------------------------"
                        + "+-----------+",
                "| ID                                   | Name    | Share ID                             | Status    |"),
                table.lines().subList(0, 2));
        String share = alice("share", "show", "projects", "-f", "value", "-c", "id").out().strip();
        assertTrue(table.out().contains("| " + backupId + " | nightly | " + share + " | available |"), table::toString);

        JsonNode json = ApiClient.JSON.readTree(alice("share", "backup", "list", "-f", "json").out());
        assertEquals(1, json.size());
        assertEquals(backupId, json.get(0).get("ID").asText());
        assertEquals("nightly", json.get(0).get("Name").asText());
        assertEquals(share, json.get(0).get("Share ID").asText());
        assertEquals("available", json.get(0).get("Status").asText());

        assertEquals(backupId + " nightly " + share + " available\n", alice("share", "backup", "list", "-f", "value")
                .out());
        assertEquals("- ID: " + backupId + "\n  Name: nightly\n  Share ID: " + share + "\n  Status: available\n",
                alice("share", "backup", "list", "-f", "yaml").out());
        assertEquals("\"ID\",\"Name\",\"Share ID\",\"Status\"\n\"" + backupId + "\",\"nightly\",\"" + share
                + "\",\"available\"\n", alice("share", "backup", "list", "-f", "csv").out());
        assertEquals("nightly\n", alice("share", "backup", "list", "-f", "value", "-c", "Name").out());

        Run show = alice("share", "backup", "show", "nightly");
        assertTrue(show.lines().get(1).matches("\\| Field +\\| Value +\\|"), show::toString);
        assertTrue(show.lines().stream().anyMatch(l -> l.matches("\\| restore_progress +\\| 100 +\\|")), show::toString);
        JsonNode shown = ApiClient.JSON.readTree(alice("share", "backup", "show", backupId, "-f", "json").out());
        assertEquals("nightly", shown.get("name").asText());
        assertEquals("100", shown.get("restore_progress").asText());
        assertTrue(shown.get("size").isNumber(), shown::toString);
        Run yaml = alice("share", "backup", "show", "nightly", "-f", "yaml", "-c", "name", "-c", "status");
        assertEquals("name: nightly\nstatus: available\n", yaml.out());
        Run csv = alice("share", "backup", "show", "nightly", "-f", "csv", "-c", "name", "-c", "share_id");
        assertEquals("\"name\",\"share_id\"\n\"nightly\",\"" + share + "\"\n", csv.out());
        assertEquals("available\n", alice("share", "backup", "show", "nightly", "-f", "value", "-c", "status").out());

        JsonNode shares = ApiClient.JSON.readTree(alice("share", "list", "-f", "json").out());
        assertEquals(List.of("from-nightly", "projects", "projects-copy", "scratch"), names(shares));
        Run shareTable = alice("share", "list", "--name", "projects");
        assertTrue(shareTable.lines().get(1).startsWith("| ID ") && shareTable.lines().get(1).contains(
                "| Name     | Size | Share Proto | Status    | Is Public | Share Type Name | Host | Availability Zone |"),
                shareTable::toString);
        assertEquals("projects 1 NFS available\n", alice("share", "list", "--name", "projects", "-f", "value", "-c",
                "Name", "-c", "Size", "-c", "Share Proto", "-c", "Status").out());
    }

    @Test
    @Order(4)
    void aFailingRestoreExitsNonZeroWithTheUserMessage() throws Exception {
        String target = manage("damaged-target");
        Files.delete(system.backups.resolve(backupId).resolve("part-3.bin")); // the repository lost a file

        Run restore = alice("share", "backup", "restore", "nightly", "--target-share", "damaged-target", "--wait");

        assertEquals(1, restore.status(), restore::toString);
        ApiClient.Response messages = admin.get("/v2/messages?all_tenants=1&resource_id=" + target);
        JsonNode message = messages.body().at("/messages/0");
        String userMessage = message.get("user_message").asText();
        assertTrue(userMessage.contains("part-3.bin"), userMessage);
        assertEquals("ferry: restoring backup " + backupId + " into share " + target + " failed (backup available, "
                + "share backup_restoring_error): " + userMessage + "\n", restore.err());
        for (String line : restore.lines()) {
            assertTrue(line.matches("\\d{1,3}%"), restore::toString);
        }
        assertFalse(restore.out().contains("100%"), "a failed restore never shows 100%: " + restore);

        Run noSuchTarget = alice("share", "backup", "restore", "nightly", "--target-share", "nowhere", "--wait");
        assertEquals(1, noSuchTarget.status(), noSuchTarget::toString);
        assertEquals("ferry: No share with a name or ID of 'nowhere' exists.\n", noSuchTarget.err());
    }

    private static List<String> names(JsonNode rows) {
        List<String> names = new ArrayList<>();
        rows.forEach(row -> names.add(row.get("Name").asText()));
        names.sort(null);
        return names;
    }
}
