package dev.ferry.bench;

import static dev.ferry.bench.BenchProcesses.awaitUntil;
import static dev.ferry.bench.BenchProcesses.freePort;
import static dev.ferry.bench.BenchProcesses.healthy;
import static dev.ferry.bench.BenchProcesses.psql;
import static dev.ferry.bench.BenchProcesses.stop;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The Ferry that {@code bench/control-plane} measures: {@code ferry api} (PostgreSQL, outbox relay, noauth) on a
 * database and a RabbitMQ vhost of its own on 127.0.0.1 and a free port, and as many {@link NoopDataManager}
 * processes as asked, each a data node of its own. The caller's {@code FERRY_*} variables are not passed on.
 * Reads and seeds the database over JDBC (the driver ferry.jar carries). {@link #close} stops every process by
 * its PID and drops the vhost and the database.
 */
final class ControlPlaneFerry implements AutoCloseable {
    static final String PROJECT = "admin";
    private static final String DB_HOST = "jdbc:postgresql://127.0.0.1:5432/";

    private final Path jar;
    private final Path classes;
    private final Path root;
    private final String vhost;
    private final String database;
    private final int port;
    /** How long a started process may take to be ready. */
    private static final Duration WAIT = Duration.ofSeconds(90);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<Process> nodes = new ArrayList<>();
    private Process api;
    private Connection db;
    private boolean vhostMade;
    private boolean databaseMade;

    private ControlPlaneFerry(Path jar, Path classes, Path root) throws IOException {
        this.jar = jar;
        this.classes = classes;
        this.root = root;
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        this.vhost = "ferry-bench-cp-" + suffix;
        this.database = "ferry_bench_cp_" + suffix;
        this.port = freePort();
    }

    /** Makes the vhost and the database and starts the api-gateway (its log is {@code root/api.log}). */
    static ControlPlaneFerry start(Path jar, Path classes, Path root) throws Exception {
        ControlPlaneFerry ferry = new ControlPlaneFerry(jar, classes, root);
        try {
            ferry.startApi();
        } catch (Exception e) {
            ferry.close();
            throw e;
        }
        return ferry;
    }

    URI baseUri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    String vhost() {
        return vhost;
    }

    private void startApi() throws Exception {
        Commands.run("rabbitmqctl", "-q", "add_vhost", vhost);
        vhostMade = true;
        Commands.run("rabbitmqctl", "-q", "set_permissions", "-p", vhost, "guest", ".*", ".*", ".*");
        psql("CREATE DATABASE " + database);
        databaseMade = true;

        Map<String, String> env = common();
        env.put("FERRY_DB_URL", DB_HOST + database);
        env.put("FERRY_DB_USER", "postgres");
        env.put("FERRY_HTTP_BIND", "127.0.0.1:" + port);
        env.put("FERRY_MANAGEMENT_BIND", "off");
        env.put("FERRY_AUTH", "noauth");
        env.put("FERRY_HOST", "bench-api");
        env.put("FERRY_BACKUP_EXPORT", root.resolve("backups").toString());
        env.put("FERRY_QUOTA_SHARES", "-1");
        env.put("FERRY_QUOTA_GIGABYTES", "-1");
        env.put("FERRY_QUOTA_BACKUPS", "-1");
        env.put("FERRY_QUOTA_BACKUP_GIGABYTES", "-1");
        api = launch("api", List.of("-jar", jar.toString(), "api"), env);
        awaitUntil("the api-gateway answers on port " + port, WAIT, api, "api", log("api"),
                () -> healthy(http, baseUri().resolve("/healthz")));
        db = DriverManager.getConnection(DB_HOST + database, "postgres", "");
        db.setAutoCommit(true);
    }

    /** Starts data nodes until {@code count} run, each a {@link NoopDataManager} process, and waits for them. */
    void runNodes(int count) throws Exception {
        List<Integer> started = new ArrayList<>();
        while (nodes.size() < count) {
            int number = nodes.size() + 1;
            Map<String, String> env = common();
            env.put("FERRY_HOST", "bench-node-" + number);
            env.put("FERRY_BACKUP_EXPORT", root.resolve("backups").toString());
            env.put("FERRY_MOUNT_ROOT", root.resolve("mnt").toString());
            nodes.add(launch("node-" + number, List.of("-cp", classes + ":" + jar,
                    NoopDataManager.class.getName()), env));
            started.add(number);
        }
        for (int number : started) {
            String name = "node-" + number;
            awaitUntil("data node " + number + " consumes", WAIT, nodes.get(number - 1), name, log(name),
                    () -> Files.readString(log(name)).contains(NoopDataManager.READY));
        }
    }

    /** The CPU time the api-gateway's process has used so far. */
    Duration apiCpu() {
        return cpu(api);
    }

    /** The CPU time the running data nodes' processes have used so far, together. */
    Duration nodesCpu() {
        return nodes.stream().map(ControlPlaneFerry::cpu).reduce(Duration.ZERO, Duration::plus);
    }

    private static Duration cpu(Process process) {
        return process.info().totalCpuDuration().orElseThrow(() -> new IllegalStateException(
                "this system does not tell a process's CPU time (ProcessHandle.Info.totalCpuDuration)"));
    }

    /** Stops every data node (SIGTERM: they drain) and waits for them. */
    void stopNodes() throws InterruptedException {
        for (Process node : nodes) {
            node.destroy();
        }
        for (Process node : nodes) {
            stop(node);
        }
        nodes.clear();
    }

    private Map<String, String> common() {
        Map<String, String> env = new HashMap<>();
        env.put("FERRY_AMQP_URI", "amqp://guest:guest@127.0.0.1:5672/" + vhost);
        env.put("FERRY_LOG_LEVEL", "INFO");
        return env;
    }

    private Process launch(String name, List<String> arguments, Map<String, String> env) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(log(name).toFile());
        builder.environment().keySet().removeIf(key -> key.startsWith("FERRY_"));
        builder.environment().putAll(env);
        return builder.start();
    }

    private Path log(String name) {
        return root.resolve(name + ".log");
    }

    /**
     * Adds {@code count} available NFS shares of 1 GiB in project {@link #PROJECT}, each with an available backup of
     * its own, straight into the database (as if backed up before); answers the backups' ids. Restoring each into
     * its own share is one job that nothing else waits on.
     */
    List<String> seedBackups(int count) throws SQLException {
        String batch = UUID.randomUUID().toString().substring(0, 8);
        try (Statement s = db.createStatement()) {
            s.execute("INSERT INTO shares (id, project_id, user_id, name, share_proto, size, status, export_path, "
                    + "created_at, updated_at) SELECT 's-" + batch + "-' || n, '" + PROJECT + "', 'admin', 'bench-' || n, "
                    + "'NFS', 1, 'available', '127.0.0.1:/bench/share-' || n, now() AT TIME ZONE 'UTC', "
                    + "now() AT TIME ZONE 'UTC' FROM generate_series(1, " + count + ") AS n");
            s.execute("INSERT INTO backups (id, project_id, user_id, share_id, size, status, name, created_at, "
                    + "updated_at) SELECT 'b-" + batch + "-' || n, '" + PROJECT + "', 'admin', 's-" + batch + "-' || n, "
                    + "1, 'available', 'bench-' || n, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC' "
                    + "FROM generate_series(1, " + count + ") AS n");
        }
        List<String> ids = new ArrayList<>(count);
        for (int n = 1; n <= count; n++) {
            ids.add("b-" + batch + "-" + n);
        }
        return ids;
    }

    /** How many of the jobs of some restores have succeeded, and how many failed. */
    record JobCounts(long succeeded, long failed) {
    }

    /**
     * The jobs of {@code backupIds} created at or after {@code since} (UTC, as the api-gateway writes it): how many
     * succeeded and how many failed. Bounded by {@code jobs.created_at} (indexed) so that this poll, run every few
     * milliseconds, reads the batch's rows only rather than the whole table on the database it measures.
     */
    JobCounts jobCounts(List<String> backupIds, LocalDateTime since) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("SELECT count(*) FILTER (WHERE status = 'succeeded'), "
                + "count(*) FILTER (WHERE status = 'failed') FROM jobs WHERE created_at >= ? AND backup_id = ANY (?)")) {
            ps.setObject(1, since);
            ps.setArray(2, db.createArrayOf("varchar", backupIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new JobCounts(rs.getLong(1), rs.getLong(2));
            }
        }
    }

    /**
     * When the first attempt at the restore of {@code backupId} (requested at or after {@code since}, UTC) was
     * claimed, in epoch microseconds; -1: not yet.
     */
    long claimedAtMicros(String backupId, LocalDateTime since) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("SELECT (extract(epoch FROM min(a.started_at)) * 1000000)"
                + "::bigint FROM job_attempts a JOIN jobs j ON j.id = a.job_id WHERE j.created_at >= ? "
                + "AND j.backup_id = ?")) {
            ps.setObject(1, since);
            ps.setString(2, backupId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long micros = rs.getLong(1);
                return rs.wasNull() ? -1 : micros;
            }
        }
    }

    /** The average size of the casts in the outbox, in bytes. */
    int averageCastBytes() throws SQLException {
        try (Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("SELECT coalesce(avg(octet_length(body)), 1000)::int FROM outbox")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** The last outbox row's id (0: none): the casts of later requests are the rows after it. */
    long lastOutboxId() throws SQLException {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT coalesce(max(id), 0) FROM outbox")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * The outbox relay's rate over the {@code count} casts after row {@code afterId}: rows sent divided by the time
     * from the first row's {@code created_at} to the last row's {@code sent_at} (confirmed by the broker, then
     * marked); -1 while some are not sent yet.
     */
    double castsPerSecond(long afterId, long count) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("SELECT count(sent_at), "
                + "extract(epoch FROM max(sent_at) - min(created_at)) FROM outbox WHERE id > ?")) {
            ps.setLong(1, afterId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) < count ? -1 : count / rs.getDouble(2);
            }
        }
    }

    /**
     * A backlog for the outbox relay: {@code count} copies of the {@code casts} casts after row {@code afterId} (the
     * restore requests' casts, so their size is the same; each copied as often as needed), added unsent in one
     * transaction, so the relay finds them all at once; answers the last row's id before them. No data node runs by
     * then: the copies wait in the queue with the casts they copy, and go when the vhost does.
     */
    long addBacklog(long afterId, int casts, int count) throws SQLException {
        long before = lastOutboxId();
        try (PreparedStatement ps = db.prepareStatement("INSERT INTO outbox (exchange, routing_key, body, request_id, "
                + "created_at) SELECT o.exchange, o.routing_key, o.body, o.request_id, now() AT TIME ZONE 'UTC' "
                + "FROM outbox o CROSS JOIN generate_series(1, ?) AS copy WHERE o.id > ? AND o.id <= ? "
                + "ORDER BY copy, o.id LIMIT ?")) {
            ps.setInt(1, (count + casts - 1) / casts);
            ps.setLong(2, afterId);
            ps.setLong(3, before);
            ps.setInt(4, count);
            ps.executeUpdate();
        }
        return before;
    }

    /**
     * The relay's rate draining the {@code count} rows after {@code afterId}, once all are sent: the rows marked
     * after its first batch divided by the time from that batch's mark to the last one's (so neither the relay's wake
     * up nor the first batch's own publishing is counted); -1 while some are not sent yet.
     */
    double drainedPerSecond(long afterId, long count) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("SELECT count(sent_at), count(*) FILTER (WHERE sent_at > "
                + "(SELECT min(sent_at) FROM outbox WHERE id > ?)), extract(epoch FROM max(sent_at) - min(sent_at)) "
                + "FROM outbox WHERE id > ?")) {
            ps.setLong(1, afterId);
            ps.setLong(2, afterId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getLong(1) < count) {
                    return -1;
                }
                double seconds = rs.getDouble(3);
                if (seconds <= 0) {
                    throw new IllegalStateException("the relay marked all " + count + " casts of the backlog at once; "
                            + "give more --requests to measure its rate");
                }
                return rs.getLong(2) / seconds;
            }
        }
    }

    /** Stops the data nodes, then the api-gateway, by their PIDs; drops the vhost and the database. */
    @Override
    public void close() throws Exception {
        stopNodes();
        if (api != null) {
            stop(api);
            api = null;
        }
        if (db != null) {
            db.close();
            db = null;
        }
        if (vhostMade) {
            Commands.run("rabbitmqctl", "-q", "delete_vhost", vhost);
            vhostMade = false;
        }
        if (databaseMade) {
            psql("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            databaseMade = false;
        }
    }
}
