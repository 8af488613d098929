package dev.ferry.api.testing;

import dev.ferry.api.db.Database;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * One test class's databases: an in-memory H2 and, when PostgreSQL answers at FERRY_IT_DB_URL (default
 * jdbc:postgresql://127.0.0.1:5432/test, user postgres), a database {@code ferry_t_<random>} created for
 * the class and dropped afterwards. Without PostgreSQL its tests skip with the reason, unless
 * FERRY_IT_REQUIRE_SERVICES=1, when they fail.
 */
public final class TestDatabases implements AutoCloseable {
    private static final String[] TABLES = {"project_locks", "outbox", "user_messages", "job_attempts", "jobs", "backups", "shares",
            "share_types"};
    private final Map<Engine, Database> open = new EnumMap<>(Engine.class);
    private final Map<Engine, String[]> urls = new EnumMap<>(Engine.class);
    private final String pgAdminUrl = env("FERRY_IT_DB_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    private final String pgUser = env("FERRY_IT_DB_USER", "postgres");
    private final String pgPassword = env("FERRY_IT_DB_PASSWORD", "");
    private String pgDatabase;
    private String pgUnavailable;

    /** The engine's database with every table empty. */
    public Database fresh(Engine engine) {
        Database db = get(engine);
        db.inTransaction(c -> {
            try (Statement s = c.createStatement()) {
                for (String table : TABLES) {
                    s.executeUpdate("DELETE FROM " + table);
                }
            }
            return null;
        });
        return db;
    }

    public Database get(Engine engine) {
        Database db = open.get(engine);
        if (db != null) {
            return db;
        }
        if (engine == Engine.H2) {
            String url = "jdbc:h2:mem:ferry-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
            db = Database.open(url, "sa", "");
            urls.put(engine, new String[] {url, "sa", ""});
        } else {
            db = openPostgres();
            urls.put(engine, new String[] {replaceDatabase(pgAdminUrl, pgDatabase), pgUser, pgPassword});
        }
        open.put(engine, db);
        return db;
    }

    /**
     * JDBC URL, user and password of the engine's database (opened if need be), so that a whole
     * api-gateway can run on it.
     */
    public String[] connection(Engine engine) {
        get(engine);
        return urls.get(engine).clone();
    }

    private Database openPostgres() {
        if (pgUnavailable != null) {
            skipOrFail(pgUnavailable);
        }
        String name = "ferry_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection c = DriverManager.getConnection(withTimeout(pgAdminUrl), pgUser, pgPassword);
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            pgUnavailable = "PostgreSQL at " + pgAdminUrl + " does not answer (" + e.getMessage()
                    + "); set FERRY_IT_DB_URL to run these tests on PostgreSQL";
            skipOrFail(pgUnavailable);
        }
        pgDatabase = name;
        return Database.open(replaceDatabase(pgAdminUrl, name), pgUser, pgPassword);
    }

    private static void skipOrFail(String reason) {
        if ("1".equals(System.getenv("FERRY_IT_REQUIRE_SERVICES"))) {
            Assertions.fail(reason + " (FERRY_IT_REQUIRE_SERVICES=1)");
        }
        Assumptions.abort(reason);
    }

    /** jdbc:postgresql://host:port/db?params with another db. */
    static String replaceDatabase(String url, String database) {
        int slash = url.indexOf('/', "jdbc:postgresql://".length());
        if (slash < 0) {
            throw new IllegalArgumentException("FERRY_IT_DB_URL '" + url + "' names no database");
        }
        int query = url.indexOf('?', slash);
        return url.substring(0, slash + 1) + database + (query < 0 ? "" : url.substring(query));
    }

    private static String withTimeout(String url) {
        return url + (url.contains("?") ? "&" : "?") + "connectTimeout=3&loginTimeout=5";
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    @Override
    public void close() {
        open.values().forEach(Database::close);
        open.clear();
        if (pgDatabase != null) {
            try (Connection c = DriverManager.getConnection(withTimeout(pgAdminUrl), pgUser, pgPassword);
                 Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + pgDatabase + " WITH (FORCE)");
            } catch (SQLException e) {
                System.err.println("could not drop test database " + pgDatabase + ": " + e.getMessage());
            }
        }
    }
}
