package dev.ferry.bench;

import static dev.ferry.bench.BenchProcesses.awaitUntil;
import static dev.ferry.bench.BenchProcesses.freePort;
import static dev.ferry.bench.BenchProcesses.healthy;
import static dev.ferry.bench.BenchProcesses.psql;
import static dev.ferry.bench.BenchProcesses.stop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

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
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * A whole Ferry in local mode for one benchmark run: {@code ferry api} on a PostgreSQL database of its own and
 * {@code ferry data-manager} on a RabbitMQ vhost of its own (127.0.0.1, as the integration tests use them), both
 * processes of the given ferry.jar, the data node bind-mounting local folders as exports. {@link #close} stops
 * both by their PIDs, unmounts what is left, and drops the vhost and the database.
 */
final class LocalFerry implements AutoCloseable {
    private static final String BIND_MOUNT = "mount --bind %(options)s %(export)s %(path)s";
    private static final String UNMOUNT = "umount %(path)s";
    private static final Duration POLL = Duration.ofMillis(50);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path jar;
    private final Path root;
    private final Path backups;
    private final Path mounts;
    private final String vhost;
    private final String database;
    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Process> processes = new ArrayList<>();
    private boolean vhostMade;
    private boolean databaseMade;

    private LocalFerry(Path jar, Path root) throws IOException {
        this.jar = jar;
        this.root = root;
        this.backups = Files.createDirectories(root.resolve("backups"));
        this.mounts = Files.createDirectories(root.resolve("mnt"));
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        this.vhost = "ferry-bench-" + suffix;
        this.database = "ferry_bench_" + suffix;
        this.port = freePort();
    }

    /** Starts the api-gateway and one data node in {@code root} (their logs are {@code root/*.log}). */
    static LocalFerry start(Path jar, Path root) throws Exception {
        LocalFerry ferry = new LocalFerry(jar, root);
        try {
            ferry.startProcesses();
        } catch (Exception e) {
            ferry.close();
            throw e;
        }
        return ferry;
    }

    private void startProcesses() throws Exception {
        Commands.run("rabbitmqctl", "-q", "add_vhost", vhost);
        vhostMade = true;
        Commands.run("rabbitmqctl", "-q", "set_permissions", "-p", vhost, "guest", ".*", ".*", ".*");
        psql("CREATE DATABASE " + database);
        databaseMade = true;

        Map<String, String> api = common();
        api.put("FERRY_DB_URL", "jdbc:postgresql://127.0.0.1:5432/" + database);
        api.put("FERRY_DB_USER", "postgres");
        api.put("FERRY_HTTP_BIND", "127.0.0.1:" + port);
        api.put("FERRY_AUTH", "noauth");
        api.put("FERRY_HOST", "bench-api");
        api.put("FERRY_BACKUP_EXPORT", backups.toString());
        api.put("FERRY_QUOTA_SHARES", "-1");
        api.put("FERRY_QUOTA_GIGABYTES", "-1");
        api.put("FERRY_QUOTA_BACKUPS", "-1");
        api.put("FERRY_QUOTA_BACKUP_GIGABYTES", "-1");
        Process apiProcess = launch("api", api);
        awaitUntil("the api-gateway answers on port " + port, Duration.ofSeconds(90), apiProcess, "ferry api",
                log("api"), () -> healthy(http, URI.create("http://127.0.0.1:" + port + "/healthz")));

        Map<String, String> node = common();
        node.put("FERRY_HOST", "bench-node");
        node.put("FERRY_BACKUP_EXPORT", backups.toString());
        node.put("FERRY_MOUNT_ROOT", mounts.toString());
        node.put("FERRY_BACKUP_MOUNT_TEMPLATE", BIND_MOUNT);
        node.put("FERRY_BACKUP_UNMOUNT_TEMPLATE", UNMOUNT);
        node.put("FERRY_SHARE_MOUNT_TEMPLATE", BIND_MOUNT);
        node.put("FERRY_SHARE_UNMOUNT_TEMPLATE", UNMOUNT);
        Process nodeProcess = launch("data-manager", node);
        awaitUntil("the data node consumes its queue", Duration.ofSeconds(90), nodeProcess, "ferry data-manager",
                log("data-manager"), () -> Files.readString(log("data-manager")).contains("consuming 'manila-data'"));
    }

    private Map<String, String> common() {
        Map<String, String> env = new HashMap<>();
        env.put("FERRY_AMQP_URI", "amqp://guest:guest@127.0.0.1:5672/" + vhost);
        env.put("FERRY_LOG_LEVEL", "INFO");
        return env;
    }

    private Process launch(String command, Map<String, String> env) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-jar", jar.toString(), command).directory(root.toFile())
                .redirectErrorStream(true).redirectOutput(log(command).toFile());
        builder.environment().keySet().removeIf(key -> key.startsWith("FERRY_"));
        builder.environment().putAll(env);
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    private Path log(String command) {
        return root.resolve(command + ".log");
    }

    /** Registers {@code export} (an existing local folder) as an NFS share of 2 GiB; answers its id. */
    String manageShare(String name, Path export) throws Exception {
        Map<String, Object> share = Map.of("protocol", "NFS", "export_path", export.toString(), "name", name,
                "size", 2, "project_id", "bench", "is_public", false);
        return expect(200, "POST", "/v2/shares/manage", Map.of("share", share)).at("/share/id").asText();
    }

    /** Backs up share {@code shareId} and waits until the backup is available; answers its id. */
    String backUp(String shareId) throws Exception {
        String id = expect(202, "POST", "/v2/share-backups",
                Map.of("share_backup", Map.of("share_id", shareId, "name", "bench"))).at("/share_backup/id").asText();
        awaitStatus("share-backups", id, "available", Duration.ofMinutes(10));
        awaitStatus("shares", shareId, "available", Duration.ofMinutes(1));
        return id;
    }

    /** The folder holding backup {@code backupId}'s tree in the repository. */
    Path backupTree(String backupId) {
        return backups.resolve(backupId);
    }

    /**
     * Restores backup {@code backupId} into share {@code shareId} as a user does: POST the restore, then poll the
     * share until it is {@code available}, which is where the timing ends; then waits, untimed by the caller, for
     * the backup to be available again.
     */
    void restore(String backupId, String shareId) throws Exception {
        expect(202, "POST", "/v2/share-backups/" + backupId + "/action", Map.of("restore", shareId));
        awaitStatus("shares", shareId, "available", Duration.ofMinutes(10));
    }

    void awaitBackupAvailable(String backupId) throws Exception {
        awaitStatus("share-backups", backupId, "available", Duration.ofMinutes(1));
    }

    private void awaitStatus(String collection, String id, String status, Duration timeout) throws Exception {
        String key = collection.equals("shares") ? "/share/status" : "/share_backup/status";
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String now = expect(200, "GET", "/v2/" + collection + "/" + id, null).at(key).asText();
            if (now.equals(status)) {
                return;
            }
            if (now.contains("error")) {
                throw new IllegalStateException(collection + " " + id + " went to " + now + " (the logs in " + root
                        + " say why)");
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(collection + " " + id + " is still " + now + " after " + timeout);
            }
            Thread.sleep(POLL.toMillis()); // a user polling the API
        }
    }

    private JsonNode expect(int status, String method, String path, Object body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).header("Accept", "application/json")
                .header("X-Auth-Token", "admin:admin").header("X-OpenStack-Manila-API-Version", "2.91")
                .header("X-OpenStack-Manila-API-Experimental", "True");
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != status) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + " "
                    + response.body() + " (expected " + status + ")");
        }
        return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
    }

    /** Stops the processes by their PIDs (SIGTERM, then SIGKILL after 30 s), unmounts, drops vhost and database. */
    @Override
    public void close() throws Exception {
        for (int i = processes.size() - 1; i >= 0; i--) {
            stop(processes.get(i));
        }
        processes.clear();
        for (String line : Files.readAllLines(Path.of("/proc/self/mounts"), StandardCharsets.UTF_8)) {
            String[] fields = line.split(" ");
            if (fields.length > 1 && fields[1].startsWith(mounts + "/")) {
                Commands.run("umount", "-l", fields[1]);
            }
        }
        if (vhostMade) {
            Commands.run("rabbitmqctl", "-q", "delete_vhost", vhost);
            vhostMade = false;
        }
        if (databaseMade) {
            psql("DROP DATABASE IF EXISTS " + database.toLowerCase(Locale.ROOT) + " WITH (FORCE)");
            databaseMade = false;
        }
    }
}
