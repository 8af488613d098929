package dev.ferry.it;

import static dev.ferry.it.RepositoryFiles.DEPLOY;
import static dev.ferry.it.RepositoryFiles.relative;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The alert rules of {@code deploy/prometheus/} pass {@code promtool check rules} (Debian's {@code prometheus}
 * package, which .ci/run installs), they fire as {@code src/test/prometheus/ferry-alerts-test.yml} expects
 * ({@code promtool test rules}), compose's Prometheus configuration passes {@code promtool check config}, and
 * every {@code ferry_*} metric the rules and the Grafana dashboard name is one that an api-gateway or a data node
 * exports on its management port once a backup has run. Without promtool the promtool checks are skipped with
 * the reason, unless {@code FERRY_IT_REQUIRE_SERVICES=1}; the metrics check needs RabbitMQ and PostgreSQL.
 */
class PrometheusRulesIT {
    private static final Pattern METRIC = Pattern.compile("(?<![A-Za-z0-9_:])ferry_[a-z0-9_]*[a-z0-9]");
    private static final Path DASHBOARD = DEPLOY.resolve("grafana/ferry.json");

    @Test
    void everyRuleFilePassesPromtool() throws Exception {
        String promtool = promtool();
        List<Path> files = ruleFiles();
        assertFalse(files.isEmpty(), "deploy/prometheus/ holds rule files");
        for (Path file : files) {
            Run check = run(promtool, "check", "rules", file.toString());
            assertEquals(0, check.exitCode(), () -> "promtool check rules " + relative(file) + ":\n" + check.output());
        }
    }

    @Test
    void theAlertsFireOnTheSeriesTheyAreAboutAndOnlyThen() throws Exception {
        String promtool = promtool();
        Path tests = Path.of("src/test/prometheus/ferry-alerts-test.yml").toAbsolutePath();
        Run run = run(promtool, "test", "rules", tests.toString());
        assertEquals(0, run.exitCode(), () -> "promtool test rules " + relative(tests) + ":\n" + run.output());
    }

    @Test
    void theComposePrometheusConfigurationPassesPromtool() throws Exception {
        String promtool = promtool();
        Path config = DEPLOY.resolve("monitoring/prometheus.yml");
        Run check = run(promtool, "check", "config", config.toString());
        assertEquals(0, check.exitCode(), () -> "promtool check config " + relative(config) + ":\n" + check.output());
    }

    @Test
    void everyFerryMetricTheRulesAndTheDashboardNameIsExported() throws Exception {
        Map<String, Set<String>> named = namedMetrics();
        assertTrue(named.containsKey("ferry_queue_messages") && named.containsKey("ferry_copied_bytes_total"),
                "the rules and the dashboard name Ferry's metrics: " + named.keySet());

        int apiManagement = FerrySystem.freePort();
        int nodeManagement = FerrySystem.freePort();
        Set<String> exported = new HashSet<>();
        try (FerrySystem system = FerrySystem.start("prometheus-rules", true,
                Map.of("FERRY_MANAGEMENT_BIND", "127.0.0.1:" + apiManagement))) {
            system.startDataNode("metrics-node", Map.of("FERRY_MANAGEMENT_BIND", "127.0.0.1:" + nodeManagement));
            // a backup: jobs start and end, a data node copies, the API serves requests
            Path export = system.newExport("metrics-share");
            Files.writeString(export.resolve("hello.txt"), "hello, metrics\n");
            String share = system.manageShare("metrics-share", "NFS", export, 1, "p1");
            system.createBackup(system.user("alice", "p1"), share);

            List<String> scrapes = List.of("http://127.0.0.1:" + apiManagement + "/metrics",
                    "http://127.0.0.1:" + nodeManagement + "/metrics");
            try {
                // the gauges of queues, outbox and nodes are refreshed every few seconds, not on each scrape
                Awaitility.await("every metric named is exported").atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofSeconds(1)).until(() -> {
                            Set<String> now = new HashSet<>();
                            for (String url : scrapes) {
                                now.addAll(sampleNames(scrape(url)));
                            }
                            exported.clear();
                            exported.addAll(now);
                            return exported.containsAll(named.keySet());
                        });
            } catch (ConditionTimeoutException e) {
                // the assertion below names what is missing
            }
        }
        Map<String, Set<String>> missing = new TreeMap<>(named);
        missing.keySet().removeAll(exported);
        assertEquals(Map.of(), missing, "metrics the alert rules or the dashboard name that neither process exports, "
                + "with the files naming them");
    }

    /** Every {@code ferry_*} name in a rule's {@code expr} or a dashboard target's {@code expr}, with its files. */
    private static Map<String, Set<String>> namedMetrics() throws Exception {
        Map<String, Set<String>> named = new TreeMap<>();
        for (Path file : ruleFiles()) {
            for (JsonNode group : RepositoryFiles.yaml(file).path("groups")) {
                for (JsonNode rule : group.path("rules")) {
                    collect(rule.path("expr").asText(), file, named);
                }
            }
        }
        for (JsonNode expr : RepositoryFiles.JSON.readTree(DASHBOARD.toFile()).findValues("expr")) {
            collect(expr.asText(), DASHBOARD, named);
        }
        return named;
    }

    private static void collect(String expr, Path file, Map<String, Set<String>> named) {
        Matcher m = METRIC.matcher(expr);
        while (m.find()) {
            named.computeIfAbsent(m.group(), k -> new TreeSet<>()).add(relative(file));
        }
    }

    private static List<Path> ruleFiles() {
        return RepositoryFiles.filesUnder(DEPLOY.resolve("prometheus"));
    }

    private static String scrape(String url) throws Exception {
        HttpResponse<String> response;
        try {
            response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("no management listener answers at " + url + " (FERRY_MANAGEMENT_BIND): " + e, e);
        }
        assertEquals(200, response.statusCode(), () -> url + ": " + response.body());
        return response.body();
    }

    /**
     * The sample names of a scrape in Prometheus' text format, and the names its {@code # TYPE} lines promise: a
     * counter {@code x} as {@code x_total}, a histogram as {@code x_bucket}, {@code x_count} and {@code x_sum}.
     */
    static Set<String> sampleNames(String scrape) {
        Set<String> names = new HashSet<>();
        for (String line : scrape.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] words = line.split(" ");
                String name = words[2];
                switch (words[3]) {
                    case "counter" -> names.add(name.endsWith("_total") ? name : name + "_total");
                    case "histogram", "summary" -> names.addAll(List.of(name + "_bucket", name + "_count", name + "_sum"));
                    default -> names.add(name);
                }
            } else if (!line.isBlank() && !line.startsWith("#")) {
                int end = line.indexOf('{');
                names.add(line.substring(0, end >= 0 ? end : line.indexOf(' ')));
            }
        }
        return names;
    }

    /** promtool's path; skips (or fails, with FERRY_IT_REQUIRE_SERVICES=1) when it is not installed. */
    private static String promtool() {
        for (String folder : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            Path candidate = Path.of(folder, "promtool");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        String missing = "promtool is not installed (Debian: apt-get install --no-install-recommends prometheus)";
        if ("1".equals(System.getenv("FERRY_IT_REQUIRE_SERVICES"))) {
            Assertions.fail(missing + "; FERRY_IT_REQUIRE_SERVICES=1 makes that a failure");
        }
        Assumptions.abort(missing);
        return null;
    }

    private record Run(int exitCode, String output) {
    }

    private static Run run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " still running after 60 s:\n" + output);
        }
        return new Run(process.exitValue(), output);
    }
}
