package dev.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.ApiConfig;
import dev.ferry.api.ApiGateway;
import dev.ferry.api.db.Database;
import dev.ferry.api.db.Repositories;
import dev.ferry.api.jobs.ClaimService;
import dev.ferry.api.model.Backup;
import dev.ferry.messages.CopyCounters;
import dev.ferry.messages.JobKind;
import dev.ferry.messages.Json;
import dev.ferry.messages.StateRpc;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import picocli.CommandLine;

/** {@code ferry jobs ...} against an api-gateway running in this JVM (H2, no broker). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobsCommandTest {
    private ApiGateway gateway;
    private Database db;
    private String url;
    private String shareId;
    private String backupId;
    private String jobId;

    /** What a run of ferry printed, and its exit status. */
    record Run(int status, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }
    }

    static Run ferry(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine ferry = Ferry.commandLine(env);
        ferry.setOut(new PrintWriter(out, true));
        ferry.setErr(new PrintWriter(err, true));
        int status = ferry.execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    private Run ferry(String... args) {
        return ferry(Map.of("FERRY_API_URL", url), args);
    }

    @BeforeAll
    void start() throws Exception {
        String dbUrl = "jdbc:h2:mem:cli-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        gateway = ApiGateway.start(ApiConfig.fromEnv(Map.of("FERRY_HTTP_BIND", "127.0.0.1:0", "FERRY_DB_URL", dbUrl,
                "FERRY_HOST", "cli-test")).withoutBroker());
        url = "http://127.0.0.1:" + gateway.port();
        db = Database.open(dbUrl, "sa", "");
        JsonNode share = call("POST", "/v2/shares/manage", "admin:admin", "{\"share\": {\"protocol\": \"NFS\", "
                + "\"export_path\": \"10.0.0.5:/exports/projects\", \"size\": 10, \"project_id\": \"p1\", "
                + "\"name\": \"projects\"}}");
        shareId = share.path("share").path("id").asText();
        JsonNode backup = call("POST", "/v2/share-backups", "alice:p1",
                "{\"share_backup\": {\"share_id\": \"" + shareId + "\", \"name\": \"nightly\"}}");
        backupId = backup.path("share_backup").path("id").asText();
        Repositories repos = Repositories.over(db, Clock.systemUTC());
        Backup row = db.read(c -> repos.backups().find(c, backupId)).orElseThrow();
        jobId = new ClaimService(repos, 30).claim(new StateRpc.Claim(JobKind.CREATE_BACKUP, row.toRow(), shareId,
                "node-a"), (String) null).jobId();
    }

    @AfterAll
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (db != null) {
            db.close();
        }
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
    void jobsListShowsATableOfJobs() {
        Run run = ferry("jobs", "list");

        assertEquals(0, run.status(), run.err());
        List<String> lines = run.lines();
        assertTrue(lines.get(0).matches("ID +KIND +STATUS +EPOCH +NODE +BACKUP +SHARE +LEASE UNTIL +UPDATED"),
                lines.get(0));
        String row = lines.stream().filter(l -> l.startsWith(jobId)).findFirst().orElseThrow();
        assertTrue(row.matches(jobId + " +create_backup +running +1 +node-a +" + backupId + " +" + shareId
                + " +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d"), row);
        assertEquals("", run.err());
    }

    @Test
    void jobsListFiltersAndPrintsJsonOnRequest() throws Exception {
        Run json = ferry("jobs", "list", "--status", "running", "--kind", "create_backup", "--limit", "5", "-f",
                "json");
        assertEquals(0, json.status(), json.err());
        JsonNode jobs = Json.parse(json.out()).path("jobs");
        assertEquals(jobId, jobs.get(0).path("id").asText());
        assertEquals("node-a", jobs.get(0).path("attempts").get(0).path("node").asText());

        Run none = ferry("jobs", "list", "--status", "failed");
        assertEquals(0, none.status(), none.err());
        assertEquals("No jobs found.", none.out().strip());
    }

    @Test
    void jobsShowGivesTheStateAndEveryAttempt() {
        Run run = ferry("jobs", "show", jobId);

        assertEquals(0, run.status(), run.err());
        List<String> lines = run.lines();
        assertTrue(lines.stream().anyMatch(l -> l.matches("status +running")), run.out());
        assertTrue(lines.stream().anyMatch(l -> l.matches("epoch +1")), run.out());
        assertTrue(lines.stream().anyMatch(l -> l.matches("node +node-a")), run.out());
        assertTrue(lines.stream().anyMatch(l -> l.matches("backup +" + backupId)), run.out());
        assertTrue(lines.stream().anyMatch(l -> l.matches("lease until +\\d{4}-.*")), run.out());
        assertTrue(lines.stream().anyMatch(l -> l.matches("reason +-")), run.out());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("Attempts (times in UTC")), run.out());
        assertTrue(lines.stream().anyMatch(l -> l.matches("EPOCH +NODE +STARTED +ENDED +OUTCOME +FILES COPIED +FILES "
                + "SKIPPED +BYTES COPIED +BYTES SKIPPED")), run.out());
        assertTrue(lines.stream().anyMatch(l -> l.matches("1 +node-a +\\d{4}-\\d\\d-\\d\\d [\\d:]{8} +- +running"
                + "( +[-\\d]+){4}")), run.out());
    }

    @Test
    void jobsShowGivesWhatEachAttemptCopied() {
        Repositories repos = Repositories.over(db, Clock.systemUTC());
        db.inTransaction(c -> repos.attempts().keepCounters(c, jobId, 1, new CopyCounters(120, 30, 480_000,
                96_000, 0, 0)));

        Run run = ferry("jobs", "show", jobId);

        assertEquals(0, run.status(), run.err());
        assertTrue(run.lines().stream().anyMatch(l -> l.matches("1 +node-a +\\d{4}-\\d\\d-\\d\\d [\\d:]{8} +- "
                + "+running +120 +30 +480000 +96000")), run.out());
    }

    @Test
    void aFailedRequestPrintsTheApisMessageAndExits1() throws Exception {
        Run missing = ferry("jobs", "show", "no-such-job");
        assertEquals(1, missing.status());
        assertEquals("ferry: Job no-such-job could not be found. List jobs with GET /admin/jobs. (HTTP 404)",
                missing.err().strip());
        assertEquals("", missing.out());

        Run badStatus = ferry("jobs", "list", "--status", "sleeping");
        assertEquals(1, badStatus.status());
        assertEquals("ferry: Invalid status 'sleeping': use queued, running, succeeded, failed or cancelled. (HTTP 400)",
                badStatus.err().strip());

        Map<String, String> member = new HashMap<>(Map.of("FERRY_API_URL", url, "FERRY_API_TOKEN", "alice:p1"));
        Run refused = ferry(member, "jobs", "list");
        assertEquals(1, refused.status());
        assertTrue(refused.err().startsWith("ferry: Only an admin may use /admin/jobs"), refused.err());
        assertTrue(refused.err().strip().endsWith("(HTTP 403)"), refused.err());

        int closed;
        try (ServerSocket probe = new ServerSocket(0)) {
            closed = probe.getLocalPort();
        }
        Run unreachable = ferry(Map.of("FERRY_API_URL", "http://127.0.0.1:" + closed), "jobs", "list");
        assertEquals(1, unreachable.status());
        assertTrue(unreachable.err().startsWith("ferry: cannot reach the Ferry API at http://127.0.0.1:" + closed),
                unreachable.err());
        assertTrue(unreachable.err().contains("Set FERRY_API_URL to its address"), unreachable.err());

        Run noBroker = ferry("parked", "list");
        assertEquals(1, noBroker.status());
        assertTrue(noBroker.err().contains("runs without a broker"), noBroker.err());
    }

    @Test
    void jobsListAndShowInTheOtherFormats() throws Exception {
        Run value = ferry("jobs", "list", "-f", "value", "-c", "ID", "-c", "KIND", "-c", "NODE");
        assertEquals(0, value.status(), value.err());
        assertTrue(value.lines().contains(jobId + " create_backup node-a"), value.out());

        Run csv = ferry("jobs", "list", "-f", "csv", "-c", "ID", "-c", "STATUS");
        assertEquals("\"ID\",\"STATUS\"", csv.lines().get(0));
        assertTrue(csv.lines().contains("\"" + jobId + "\",\"running\""), csv.out());

        Run table = ferry("jobs", "list", "-c", "ID", "-c", "STATUS");
        assertTrue(table.lines().get(0).matches("ID +STATUS"), table.out());

        Run yaml = ferry("jobs", "show", jobId, "-f", "yaml", "-c", "kind", "-c", "node");
        assertEquals(0, yaml.status(), yaml.err());
        assertEquals("kind: create_backup\nnode: node-a\n", yaml.out());

        Run viaOption = JobsCommandTest.ferry(Map.of("FERRY_API_URL", "http://127.0.0.1:1"), "jobs", "show", jobId,
                "--url", url, "-f", "value", "-c", "status");
        assertEquals("running\n", viaOption.out(), viaOption.err());
    }

    @Test
    void usageErrorsExit2() {
        Run format = ferry("jobs", "list", "-f", "xml");
        assertEquals(2, format.status());
        assertTrue(format.err().contains("unknown format 'xml': use table|json|value|yaml|csv"), format.err());
        Run noId = ferry("jobs", "show");
        assertEquals(2, noId.status());
        assertTrue(noId.err().contains("Missing required parameter: 'JOB_ID'"), noId.err());
    }
}
