package dev.ferry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/**
 * Debian's Keystone for one test class: installed when missing, then served by uwsgi on a free 127.0.0.1 port
 * from its own config, SQLite file and key repositories under a temporary folder (nothing under /etc is
 * changed), bootstrapped with an admin. Setup goes through Keystone's REST API (faster than the openstack
 * client). {@link #stop} and {@link #close} end uwsgi by its PID.
 */
final class OwnKeystone implements AutoCloseable {
    static final String ADMIN_PASSWORD = "it-admin-" + UUID.randomUUID();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration STEP_TIMEOUT = Duration.ofMinutes(3);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();
    final Path dir;
    final int port;
    private Process uwsgi;
    private String adminToken;

    private OwnKeystone(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** Installs (if missing), configures, bootstraps and serves Keystone; fails with the step's output. */
    static OwnKeystone start() throws Exception {
        installIfMissing();
        OwnKeystone keystone = new OwnKeystone(Files.createTempDirectory("ferry-it-keystone-"), FerrySystem.freePort());
        try {
            keystone.configure();
            keystone.serve();
            keystone.adminToken = keystone.token("admin", ADMIN_PASSWORD, "admin");
            return keystone;
        } catch (Exception | Error e) {
            keystone.close();
            throw e;
        }
    }

    /** Debian's keystone (no recommends), and the openstack client with its share plugin, when missing. */
    static void installIfMissing() throws Exception {
        List<String> missing = new ArrayList<>();
        if (!Files.isExecutable(Path.of("/usr/bin/keystone-manage")) || !Files.isExecutable(Path.of("/usr/bin/uwsgi"))
                || !Files.isExecutable(Path.of("/usr/bin/keystone-wsgi-public"))) {
            missing.add("keystone");
        }
        if (!Files.isExecutable(Path.of("/usr/bin/openstack"))) {
            missing.add("python3-openstackclient");
        }
        if (!Files.isDirectory(Path.of("/usr/lib/python3/dist-packages/manilaclient"))) {
            missing.add("python3-manilaclient");
        }
        if (missing.isEmpty()) {
            return;
        }
        Path log = Files.createTempFile("ferry-it-apt-", ".log");
        try {
            run(log, Map.of(), "apt-get", "update", "-qq");
            List<String> install = new ArrayList<>(List.of("apt-get", "install", "-y", "-qq",
                    "--no-install-recommends"));
            install.addAll(missing);
            run(log, Map.of("DEBIAN_FRONTEND", "noninteractive"), install.toArray(String[]::new));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** The Identity v3 endpoint. */
    String url() {
        return "http://127.0.0.1:" + port + "/v3";
    }

    private Path config() {
        return dir.resolve("etc/keystone.conf");
    }

    private void configure() throws Exception {
        Files.createDirectories(dir.resolve("etc"));
        Files.createDirectories(dir.resolve("log"));
        Files.writeString(config(), String.join("\n",
                "[DEFAULT]", "log_dir = " + dir.resolve("log"), "log_file = keystone.log",
                "[database]", "connection = sqlite:///" + dir.resolve("keystone.db"),
                "[token]", "provider = fernet",
                "[fernet_tokens]", "key_repository = " + dir.resolve("fernet-keys"),
                "[fernet_receipts]", "key_repository = " + dir.resolve("fernet-keys"),
                "[credential]", "key_repository = " + dir.resolve("credential-keys"), ""));
        Path log = dir.resolve("log/setup.log");
        String manage = "/usr/bin/keystone-manage";
        String conf = config().toString();
        // the key repositories do not need the database: made while db_sync runs (each call is mostly start-up)
        Process fernet = start(log, manage, "--config-file", conf, "fernet_setup", "--keystone-user", "root",
                "--keystone-group", "root");
        Process credential = start(log, manage, "--config-file", conf, "credential_setup", "--keystone-user", "root",
                "--keystone-group", "root");
        run(log, Map.of(), manage, "--config-file", conf, "db_sync");
        awaitSuccess(fernet, log, "keystone-manage fernet_setup");
        awaitSuccess(credential, log, "keystone-manage credential_setup");
        // a leaked read transaction in keystone 22 makes writes fail with "database is locked" unless in WAL mode
        run(log, Map.of(), "sqlite3", dir.resolve("keystone.db").toString(), "PRAGMA journal_mode=WAL;");
        run(log, Map.of(), manage, "--config-file", conf, "bootstrap", "--bootstrap-password", ADMIN_PASSWORD,
                "--bootstrap-region-id", "RegionOne", "--bootstrap-admin-url", url(), "--bootstrap-internal-url",
                url(), "--bootstrap-public-url", url());
    }

    private void serve() throws Exception {
        ProcessBuilder builder = new ProcessBuilder("/usr/bin/uwsgi", "--plugins", "python3", "--http-socket",
                "127.0.0.1:" + port, "--wsgi-file", "/usr/bin/keystone-wsgi-public", "--master", "--processes", "1",
                "--threads", "1", "--die-on-term", "--buffer-size", "65535", "--add-header", "Connection: close",
                "--pidfile", dir.resolve("uwsgi.pid").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("log/uwsgi.out").toFile());
        builder.environment().put("OS_KEYSTONE_CONFIG_DIR", dir.resolve("etc").toString());
        builder.environment().put("OS_KEYSTONE_CONFIG_FILES", "keystone.conf");
        uwsgi = builder.start();
        Awaitility.await("Keystone answers on " + url()).atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() -> {
                    if (!uwsgi.isAlive()) {
                        throw new AssertionError("uwsgi exited:\n" + tail(dir.resolve("log/uwsgi.out")));
                    }
                    return send("GET", "", null, null).statusCode() == 200;
                });
    }

    /** A project-scoped token (POST /v3/auth/tokens with a password), as a client gets one. */
    String token(String user, String password, String project) throws Exception {
        String body = JSON.writeValueAsString(Map.of("auth", Map.of(
                "identity", Map.of("methods", List.of("password"), "password", Map.of("user",
                        Map.of("name", user, "domain", Map.of("name", "Default"), "password", password))),
                "scope", Map.of("project", Map.of("name", project, "domain", Map.of("name", "Default"))))));
        HttpResponse<String> response = send("POST", "/auth/tokens", body, null);
        assertEquals(201, response.statusCode(), () -> "token for " + user + ": " + response.body());
        return response.headers().firstValue("X-Subject-Token").orElseThrow();
    }

    String adminToken() {
        return adminToken;
    }

    /** Revokes a token (DELETE /v3/auth/tokens). */
    void revoke(String token) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url() + "/auth/tokens")).timeout(Duration.ofSeconds(30))
                .header("X-Auth-Token", adminToken).header("X-Subject-Token", token).DELETE().build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(204, response.statusCode(), response::body);
    }

    /** An admin POST that creates something; returns the created object's id. */
    String create(String path, String kind, Map<String, Object> fields) throws Exception {
        HttpResponse<String> response = send("POST", path, JSON.writeValueAsString(Map.of(kind, fields)), adminToken);
        assertEquals(201, response.statusCode(), () -> "POST " + path + ": " + response.body());
        return JSON.readTree(response.body()).path(kind).path("id").asText();
    }

    /** The id of the role named {@code name}. */
    String roleId(String name) throws Exception {
        HttpResponse<String> response = send("GET", "/roles?name=" + name, null, adminToken);
        assertEquals(200, response.statusCode(), response::body);
        JsonNode roles = JSON.readTree(response.body()).path("roles");
        assertEquals(1, roles.size(), response::body);
        return roles.get(0).path("id").asText();
    }

    /** Grants {@code role} (an id) to {@code user} on {@code project}. */
    void grant(String project, String user, String role) throws Exception {
        HttpResponse<String> response = send("PUT", "/projects/" + project + "/users/" + user + "/roles/" + role, null,
                adminToken);
        assertEquals(204, response.statusCode(), response::body);
    }

    /** Creates a user in the Default domain with a role on a project; returns the user's id. */
    String user(String name, String password, String project, String roleId) throws Exception {
        String id = create("/users", "user", Map.of("name", name, "password", password, "domain_id", "default",
                "default_project_id", project));
        grant(project, id, roleId);
        return id;
    }

    JsonNode get(String path) throws Exception {
        HttpResponse<String> response = send("GET", path, null, adminToken);
        return response.body().isBlank() ? MissingNode.getInstance() : JSON.readTree(response.body());
    }

    private HttpResponse<String> send(String method, String path, String body, String token)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json");
        if (token != null) {
            request.header("X-Auth-Token", token);
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Whether uwsgi still runs. */
    boolean isAlive() {
        return uwsgi != null && uwsgi.isAlive();
    }

    /** Stops uwsgi: SIGTERM to its master's PID, then waits for it (SIGKILL after 30 s). */
    void stop() throws InterruptedException {
        if (uwsgi == null) {
            return;
        }
        ProcessHandle.of(uwsgi.pid()).ifPresent(ProcessHandle::destroy);
        if (!uwsgi.waitFor(30, TimeUnit.SECONDS)) {
            uwsgi.destroyForcibly();
            uwsgi.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws Exception {
        stop();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    private static Process start(Path log, String... command) throws IOException {
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    private static void run(Path log, Map<String, String> env, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        awaitSuccess(builder.start(), log, String.join(" ", command.length > 3
                ? List.of(command).subList(0, 4) : List.of(command)));
    }

    private static void awaitSuccess(Process process, Path log, String what) throws Exception {
        if (!process.waitFor(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(what + " did not finish within " + STEP_TIMEOUT + ":\n" + tail(log));
        }
        if (process.exitValue() != 0) {
            throw new AssertionError(what + " exited with " + process.exitValue() + ":\n" + tail(log));
        }
    }

    static String tail(Path log) {
        try {
            String text = Files.readString(log, StandardCharsets.UTF_8);
            return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
