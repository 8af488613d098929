package dev.ferry.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A PostgreSQL 15 primary and a synchronous streaming standby of the test's own, each on its own loopback port with
 * its data in a temporary folder (never the machine's cluster on 5432), run as the {@code postgres} user. The test
 * stops the primary and promotes the standby; {@link #close} stops whatever still runs by its PID and deletes the
 * folder. The standby is synchronous ({@code synchronous_standby_names = '*'}), as a failover that must not lose
 * an acknowledged commit needs.
 */
final class OwnPostgresPair implements AutoCloseable {
    static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");
    static final String USER = "postgres";
    final int primaryPort;
    final int standbyPort;
    private final Path dir;
    private final Path primary;
    private final Path standby;
    private volatile boolean promoted;

    private OwnPostgresPair(Path dir, int primaryPort, int standbyPort) {
        this.dir = dir;
        this.primary = dir.resolve("primary");
        this.standby = dir.resolve("standby");
        this.primaryPort = primaryPort;
        this.standbyPort = standbyPort;
    }

    /** initdb, start the primary, pg_basebackup -R a standby of it, start that, and wait until it streams in sync. */
    static OwnPostgresPair start() throws Exception {
        if (!Files.isExecutable(BIN.resolve("initdb"))) {
            String missing = "PostgreSQL 15's server tools are not in " + BIN;
            if ("1".equals(System.getenv("FERRY_IT_REQUIRE_SERVICES"))) {
                Assertions.fail(missing + "; FERRY_IT_REQUIRE_SERVICES=1 makes that a failure");
            }
            Assumptions.abort(missing + "; install postgresql-15");
        }
        Path dir = Files.createTempDirectory("ferry-it-pg-");
        OwnPostgresPair pair = new OwnPostgresPair(dir, FerrySystem.freePort(), FerrySystem.freePort());
        try {
            pair.create();
            return pair;
        } catch (Exception | Error e) {
            pair.close();
            throw e;
        }
    }

    private void create() throws Exception {
        run("chown", USER + ":" + USER, dir.toString());
        asPostgres("initdb", "-D", primary.toString(), "-U", USER, "-A", "trust", "--no-sync");
        Files.writeString(primary.resolve("postgresql.conf"), settings(primaryPort)
                + "synchronous_standby_names = '*'\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        pgCtl(primary, "start");
        asPostgres("pg_basebackup", "-h", "127.0.0.1", "-p", Integer.toString(primaryPort), "-U", USER,
                "-D", standby.toString(), "-R", "-X", "stream", "--checkpoint=fast", "--no-sync");
        // the lines appended last win over the primary's copied ones; once promoted, it waits for no standby
        Files.writeString(standby.resolve("postgresql.conf"), settings(standbyPort)
                + "synchronous_standby_names = ''\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        pgCtl(standby, "start");
        Awaitility.await("the standby streams from the primary in sync").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200)).until(() -> "sync".equals(query(primaryPort, "postgres",
                        "SELECT sync_state FROM pg_stat_replication")));
    }

    /** Loopback only, sockets in the pair's own folder; no fsync (a stopped server is not a crashed machine). */
    private String settings(int port) {
        return "\nlisten_addresses = '127.0.0.1'\nport = " + port + "\nunix_socket_directories = '" + dir + "'\n"
                + "max_connections = 60\nshared_buffers = 32MB\nfsync = off\nhot_standby = on\n"
                + "logging_collector = off\n";
    }

    /** Creates {@code name} on the primary (the standby replays it). */
    void createDatabase(String name) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl(primaryPort, "postgres"), USER, "");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
    }

    /** The multi-host URL a Ferry user would give: both servers, the one that takes writes wanted. */
    String multiHostUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + primaryPort + ",127.0.0.1:" + standbyPort + "/" + database
                + "?targetServerType=primary";
    }

    /** pg_ctl stop -m immediate: the primary's processes quit at once, as in a crash. */
    void stopPrimaryImmediately() throws IOException, InterruptedException {
        asPostgres("pg_ctl", "-D", primary.toString(), "-m", "immediate", "stop");
    }

    /** pg_ctl promote: the standby ends recovery and takes writes. */
    void promoteStandby() throws IOException, InterruptedException {
        asPostgres("pg_ctl", "-D", standby.toString(), "-w", "-t", "60", "promote");
        promoted = true;
    }

    /**
     * Makes the server that takes writes (the primary, or the standby once promoted) refuse them, or take them again:
     * {@code default_transaction_read_only}, which open sessions pick up when the configuration is reloaded.
     */
    void setReadOnly(boolean readOnly) throws SQLException {
        int port = promoted ? standbyPort : primaryPort;
        try (Connection c = DriverManager.getConnection(jdbcUrl(port, "postgres"), USER, "");
             Statement s = c.createStatement()) {
            s.execute("ALTER SYSTEM SET default_transaction_read_only = " + (readOnly ? "on" : "off"));
            s.execute("SELECT pg_reload_conf()");
        }
        // the server reloads in the background; once a new session sees the setting, the open ones have been told
        // too, and each applies it before its next statement
        String wanted = readOnly ? "on" : "off";
        Awaitility.await("the server's default_transaction_read_only is " + wanted).atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> wanted.equals(query(port, "postgres", "SHOW default_transaction_read_only")));
    }

    private void pgCtl(Path data, String action) throws IOException, InterruptedException {
        asPostgres("pg_ctl", "-D", data.toString(), "-l", data + ".log", "-w", "-t", "60", action);
    }

    private static String query(int port, String database, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl(port, database), USER, "");
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static String jdbcUrl(int port, String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    private void asPostgres(String tool, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("runuser", "-u", USER, "--", BIN.resolve(tool).toString()));
        command.addAll(List.of(args));
        run(command.toArray(String[]::new));
    }

    private void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output + logs());
        }
    }

    /** The servers' logs, for a failure message. */
    String logs() {
        StringBuilder text = new StringBuilder();
        for (Path log : List.of(Path.of(primary + ".log"), Path.of(standby + ".log"))) {
            try {
                text.append("\n--- ").append(log.getFileName()).append(":\n").append(Files.readString(log));
            } catch (IOException e) {
                // not started
            }
        }
        return text.toString();
    }

    /** The postmaster of {@code data}, from the first line of its postmaster.pid, if it still runs PostgreSQL. */
    private static Optional<ProcessHandle> postmaster(Path data) {
        try {
            return ProcessHandle.of(Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim()))
                    .filter(p -> p.info().command().map(c -> c.startsWith(BIN.toString())).orElse(false));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Stops the servers that still run (SIGINT, PostgreSQL's fast shutdown, to the postmaster by its PID; SIGKILL
     * after 30 s) and deletes the folder.
     */
    @Override
    public void close() throws IOException {
        for (Path data : List.of(standby, primary)) {
            Optional<ProcessHandle> server = postmaster(data);
            if (server.isEmpty()) {
                continue;
            }
            try {
                run("kill", "-INT", Long.toString(server.get().pid()));
            } catch (IOException | InterruptedException e) {
                server.get().destroy();
            }
            server.get().onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(e -> {
                server.get().destroyForcibly();
                return server.get();
            }).join();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
