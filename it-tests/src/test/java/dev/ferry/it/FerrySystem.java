package dev.ferry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/**
 * A whole Ferry system for one test class, as real processes: an api-gateway on its own PostgreSQL
 * database and RabbitMQ vhost, and data nodes that bind-mount local folders as exports.
 */
final class FerrySystem implements AutoCloseable {
    static final String BIND_MOUNT = "mount --bind %(options)s %(export)s %(path)s";
    static final String UNMOUNT = "umount %(path)s";
    final Path root;
    final Path exports;
    final Path backups;
    /** The base export of the subdir share backend: new shares are folders in it. */
    final Path shares;
    final Path mounts;
    final String vhost;
    final String dbUrl;
    final boolean quorum;
    final int httpPort;
    private final String name;
    private final List<FerryProcess> processes = new ArrayList<>();
    private final List<Path> tmpfsMounts = new ArrayList<>();
    private final Map<String, String> apiSettings;
    private FerryProcess api;
    private int apiStarts;
    private volatile String adminToken = "admin:admin";

    private FerrySystem(String name, boolean quorum, Map<String, String> apiSettings) throws Exception {
        Services.require();
        this.name = name;
        this.quorum = quorum;
        this.root = Files.createTempDirectory("ferry-it-" + name + "-");
        this.exports = Files.createDirectories(root.resolve("exports"));
        this.backups = Files.createDirectories(root.resolve("backups"));
        this.shares = Files.createDirectories(root.resolve("shares"));
        this.mounts = Files.createDirectories(root.resolve("mnt"));
        this.vhost = Services.newVhost("ferry-it-" + name);
        this.dbUrl = Services.newDatabase();
        this.httpPort = freePort();
        this.apiSettings = Map.copyOf(apiSettings);
    }

    /** Starts the api-gateway; data nodes are started by the tests that need them. */
    static FerrySystem start(String name, boolean quorum) throws Exception {
        return start(name, quorum, Map.of());
    }

    /** As {@link #start(String, boolean)}, with extra api-gateway settings (e.g. a short lease). */
    static FerrySystem start(String name, boolean quorum, Map<String, String> apiSettings) throws Exception {
        FerrySystem system = new FerrySystem(name, quorum, apiSettings);
        system.startApi();
        return system;
    }

    FerryProcess api() {
        return api;
    }

    Map<String, String> amqpEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("FERRY_AMQP_URI", Services.amqpUri(vhost));
        env.put("FERRY_AMQP_EXCHANGE", "openstack");
        env.put("FERRY_AMQP_QUORUM", Boolean.toString(quorum));
        return env;
    }

    FerryProcess startApi() throws Exception {
        return startApi(Map.of());
    }

    /** Starts the api-gateway again with {@code extra} settings over the usual ones (e.g. another broker user). */
    FerryProcess startApi(Map<String, String> extra) throws Exception {
        apiStarts++;
        api = startGatewayProcess(name + "-api" + (apiStarts > 1 ? "-" + apiStarts : ""), name + "-api", httpPort,
                extra);
        return api;
    }

    /**
     * Another api-gateway on this system's database and vhost (a replica behind a load balancer): its own HTTP
     * port, {@code FERRY_HOST} and management port; {@link #api()} and {@link #admin()} stay with the first one.
     */
    Gateway startReplica(String host, Map<String, String> extra) throws Exception {
        int port = freePort();
        return new Gateway(startGatewayProcess(name + "-" + host, host, port, extra), port);
    }

    /** An api-gateway replica and the address of its API. */
    record Gateway(FerryProcess process, int httpPort) {
        String baseUrl() {
            return "http://127.0.0.1:" + httpPort;
        }

        ApiClient admin() {
            return new ApiClient(baseUrl(), "admin:admin", "2.91", true);
        }

        ApiClient user(String user, String project) {
            return new ApiClient(baseUrl(), user + ":" + project, "2.91", true);
        }
    }

    private FerryProcess startGatewayProcess(String processName, String host, int port, Map<String, String> extra)
            throws Exception {
        Map<String, String> env = amqpEnv();
        env.put("FERRY_DB_URL", dbUrl);
        env.put("FERRY_DB_USER", Services.DB_USER);
        env.put("FERRY_DB_PASSWORD", Services.DB_PASSWORD);
        env.put("FERRY_HTTP_BIND", "127.0.0.1:" + port);
        env.put("FERRY_AUTH", "noauth");
        env.put("FERRY_HOST", host);
        env.put("FERRY_SHARE_BASE_EXPORT", shares.toString());
        env.put("FERRY_BACKUP_EXPORT", backups.toString());
        env.put("FERRY_QUOTA_SHARES", "-1"); // tests make many shares; share quotas have their own tests
        env.put("FERRY_QUOTA_GIGABYTES", "-1");
        env.putAll(apiSettings);
        env.putAll(extra);
        // a test may bind other addresses, e.g. "0.0.0.0:{port}"; the port stays the gateway's own
        env.computeIfPresent("FERRY_HTTP_BIND", (key, bind) -> bind.replace("{port}", Integer.toString(port)));
        FerryProcess gateway = track(FerryProcess.start(processName, root, env, "api"));
        String url = "http://127.0.0.1:" + port;
        ApiClient anonymous = new ApiClient(url, null, null, false);
        Awaitility.await("api-gateway answers on " + url).atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
                    if (!gateway.isAlive()) {
                        throw new AssertionError("api-gateway exited:\n" + gateway.tail());
                    }
                    return anonymous.get("/healthz").status() == 200;
                });
        return gateway;
    }

    /** A data node that bind-mounts exports; {@code extra} overrides any setting. */
    FerryProcess startDataNode(String host, Map<String, String> extra) throws IOException {
        Map<String, String> env = amqpEnv();
        env.put("FERRY_HOST", host);
        env.put("FERRY_BACKUP_EXPORT", backups.toString());
        env.put("FERRY_MOUNT_ROOT", mounts.toString());
        env.put("FERRY_BACKUP_MOUNT_TEMPLATE", BIND_MOUNT);
        env.put("FERRY_BACKUP_UNMOUNT_TEMPLATE", UNMOUNT);
        env.put("FERRY_SHARE_MOUNT_TEMPLATE", BIND_MOUNT);
        env.put("FERRY_SHARE_UNMOUNT_TEMPLATE", UNMOUNT);
        env.put("FERRY_DATA_CONCURRENCY", "1");
        env.put("FERRY_PROGRESS_INTERVAL_MS", "200");
        env.putAll(extra);
        FerryProcess node = track(FerryProcess.start(name + "-" + host, root, env, "data-manager"));
        node.awaitLog("consuming 'manila-data'", Duration.ofSeconds(60));
        return node;
    }

    private FerryProcess track(FerryProcess process) {
        processes.add(process);
        return process;
    }

    /** The api-gateway's view of a job (admin API), with its attempts. */
    JsonNode job(String jobId) throws Exception {
        ApiClient.Response response = admin().get("/admin/jobs/" + jobId);
        assertEquals(200, response.status(), response::toString);
        return response.body().get("job");
    }

    /** Jobs of a kind (restore_backup, create_backup), newest first. */
    List<JsonNode> jobs(String kind) throws Exception {
        ApiClient.Response response = admin().get("/admin/jobs?limit=100000&kind=" + kind);
        assertEquals(200, response.status(), response::toString);
        List<JsonNode> jobs = new ArrayList<>();
        response.body().get("jobs").forEach(jobs::add);
        return jobs;
    }

    /** The restore job that targets {@code shareId} (the newest one). */
    JsonNode restoreJobFor(String shareId) throws Exception {
        return jobs("restore_backup").stream().filter(j -> shareId.equals(j.get("share_id").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no restore job targets share " + shareId));
    }

    String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    ApiClient admin() {
        return new ApiClient(baseUrl(), adminToken, "2.91", true);
    }

    /** The token {@link #admin()} and the helpers that use it send (noauth's {@code admin:admin} by default). */
    void useAdminToken(String token) {
        this.adminToken = token;
    }

    ApiClient user(String user, String project) {
        return new ApiClient(baseUrl(), user + ":" + project, "2.91", true);
    }

    Path newExport(String folder) throws IOException {
        return Files.createDirectories(exports.resolve(folder));
    }

    /** Registers an existing export as a share of {@code project} (admin's manage). */
    String manageShare(String shareName, String protocol, Path export, int sizeGib, String project)
            throws Exception {
        Map<String, Object> share = new HashMap<>();
        share.put("protocol", protocol);
        share.put("export_path", export.toString());
        share.put("name", shareName);
        share.put("size", sizeGib);
        share.put("project_id", project);
        share.put("is_public", false);
        ApiClient.Response response = admin().post("/v2/shares/manage", Map.of("share", share));
        assertEquals(200, response.status(), () -> "manage " + shareName + ": " + response);
        return response.body().at("/share/id").asText();
    }

    JsonNode share(String id) throws Exception {
        ApiClient.Response response = admin().get("/v2/shares/" + id);
        assertEquals(200, response.status(), response::toString);
        return response.body().get("share");
    }

    JsonNode backup(String id) throws Exception {
        ApiClient.Response response = admin().get("/v2/share-backups/" + id);
        assertEquals(200, response.status(), response::toString);
        return response.body().get("share_backup");
    }

    JsonNode awaitShare(String id, String status, Duration timeout) {
        Awaitility.await("share " + id + " is " + status).atMost(timeout).pollInterval(Duration.ofMillis(100))
                .until(() -> status.equals(share(id).get("status").asText()));
        return unchecked(() -> share(id));
    }

    JsonNode awaitBackup(String id, String status, Duration timeout) {
        Awaitility.await("backup " + id + " is " + status).atMost(timeout).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    String now = backup(id).get("status").asText();
                    if (now.contains("error") && !status.contains("error")) {
                        throw new AssertionError("backup " + id + " went to " + now);
                    }
                    return status.equals(now);
                });
        return unchecked(() -> backup(id));
    }

    /** Creates a backup of {@code shareId} as {@code client} and waits until it is available. */
    String createBackup(ApiClient client, String shareId) throws Exception {
        ApiClient.Response response = client.post("/v2/share-backups",
                Map.of("share_backup", Map.of("share_id", shareId, "name", "it-backup")));
        assertEquals(202, response.status(), response::toString);
        String id = response.body().at("/share_backup/id").asText();
        awaitBackup(id, "available", Duration.ofSeconds(120));
        awaitShare(shareId, "available", Duration.ofSeconds(30));
        return id;
    }

    /** The user messages (2.37+) about {@code resourceId}. */
    List<JsonNode> messages(String resourceId) throws Exception {
        ApiClient.Response response = admin().get("/v2/messages?all_tenants=1");
        assertEquals(200, response.status(), response::toString);
        List<JsonNode> found = new ArrayList<>();
        response.body().get("messages").forEach(m -> {
            if (resourceId.equals(m.path("resource_id").asText())) {
                found.add(m);
            }
        });
        return found;
    }

    /** Waits for the first user message about {@code resourceId} and returns it. */
    JsonNode awaitMessage(String resourceId, Duration timeout) {
        Awaitility.await("a user message about " + resourceId).atMost(timeout).pollInterval(Duration.ofMillis(100))
                .until(() -> !messages(resourceId).isEmpty());
        return unchecked(() -> messages(resourceId).get(0));
    }

    /** Waits for a user message about {@code resourceId} that {@code wanted} accepts and returns it. */
    JsonNode awaitMessage(String resourceId, Duration timeout, Predicate<JsonNode> wanted) {
        Awaitility.await("a user message about " + resourceId).atMost(timeout).pollInterval(Duration.ofMillis(100))
                .until(() -> messages(resourceId).stream().anyMatch(wanted));
        return unchecked(() -> messages(resourceId).stream().filter(wanted).findFirst().orElseThrow());
    }

    /** Runs one SQL update on this system's database (what an older Ferry left behind); returns the row count. */
    int sql(String update, Object... args) throws Exception {
        try (Connection connection = DriverManager.getConnection(dbUrl, Services.DB_USER, Services.DB_PASSWORD);
             PreparedStatement statement = connection.prepareStatement(update)) {
            for (int i = 0; i < args.length; i++) {
                statement.setObject(i + 1, args[i]);
            }
            return statement.executeUpdate();
        }
    }

    /** Mount points still mounted below this system's mount root (should be none after every job). */
    List<String> activeMounts() throws IOException {
        List<String> active = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mounts"), StandardCharsets.UTF_8)) {
            String[] fields = line.split(" ");
            if (fields.length > 1 && fields[1].startsWith(mounts.toString())) {
                active.add(fields[1]);
            }
        }
        return active;
    }

    /** Mounts a tmpfs of {@code size} (e.g. 4g) on {@code folder}; {@link #close} unmounts it, dropping its files. */
    void mountTmpfs(Path folder, String size) throws Exception {
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", folder.toString())
                .redirectErrorStream(true).start();
        String output = new String(mount.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, mount.waitFor(), () -> "mount -t tmpfs on " + folder + ": " + output);
        tmpfsMounts.add(folder);
    }

    String logs() {
        StringBuilder all = new StringBuilder();
        processes.forEach(p -> all.append(p.log()));
        return all.toString();
    }

    @Override
    public void close() throws Exception {
        for (int i = processes.size() - 1; i >= 0; i--) {
            processes.get(i).close();
        }
        for (String mount : activeMounts()) {
            new ProcessBuilder("umount", "-l", mount).start().waitFor();
        }
        for (Path tmpfs : tmpfsMounts) {
            new ProcessBuilder("umount", "-l", tmpfs.toString()).start().waitFor();
        }
        Services.deleteVhost(vhost);
        Services.dropDatabase(dbUrl);
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    interface ThrowingSupplier<T> {
        T get() throws Exception;
    }

    static <T> T unchecked(ThrowingSupplier<T> supplier) {
        try {
            return supplier.get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
