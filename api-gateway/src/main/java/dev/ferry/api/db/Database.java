package dev.ferry.api.db;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection pool, the migrations, and transactions. PostgreSQL in production, H2 as the
 * zero-setup default; the same SQL runs on both. A connection is waited for at most
 * {@link #CONNECTION_TIMEOUT}, so while the database is down every use fails fast with a
 * {@link DataAccessException} that says so; the pool reconnects by itself once it is back.
 */
public final class Database implements AutoCloseable {
    /** Counted down by close(), so the background migration's retry wait ends at once. */
    private final CountDownLatch closing = new CountDownLatch(1);
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    public static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration LONGEST_MIGRATION_RETRY = Duration.ofSeconds(5);
    /** How often an idle pooled connection is tested (and dropped when its server no longer answers). */
    static final Duration KEEPALIVE = Duration.ofSeconds(30);
    /** PostgreSQL's connectTimeout unless the URL sets one: how long one host of the URL may take to answer. */
    static final Duration POSTGRESQL_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private final HikariDataSource pool;
    /** The URL for logs and messages: without its password. */
    private final String url;
    private final DatabaseUrlRedaction redaction;
    private final String user;
    private volatile boolean migrated;
    private volatile Thread migrator;

    private Database(HikariDataSource pool, String url, String user, String password) {
        this.pool = pool;
        this.redaction = new DatabaseUrlRedaction(url, password);
        this.url = redaction.url();
        this.user = user;
    }

    /** {@code url} with its passwords masked, for logs and error messages ({@link DatabaseUrlRedaction#redacted}). */
    public static String redacted(String url) {
        return DatabaseUrlRedaction.redacted(url);
    }

    /** Opens a pool on {@code url} and brings the schema up to date; fails when it cannot. */
    public static Database open(String url, String user, String password) {
        Database db = new Database(pool(url, user, password), url, user, password);
        try {
            db.migrate();
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        return db;
    }

    /**
     * Like {@link #open}, but a database that cannot be reached yet does not stop the caller: the schema is
     * migrated in the background as soon as it answers, and until then every use fails as unavailable.
     * Anything else (bad credentials, a failed migration) still fails here.
     */
    public static Database openWhenReachable(String url, String user, String password) {
        Database db = new Database(pool(url, user, password), url, user, password);
        try {
            db.migrate();
        } catch (IllegalStateException e) {
            if (!DataAccessException.isUnreachable(e)) {
                db.close();
                throw e;
            }
            LOG.warn("{}; the API answers 503 until the database is reachable, and migrates it then", e.getMessage());
            db.migrateInBackground();
        }
        return db;
    }

    /**
     * The pool. Failover (a multi-host PostgreSQL URL with {@code targetServerType=primary}) needs no restart: a
     * connection is validated before it is handed out when it has been idle for more than half a second, and idle
     * ones every {@link #KEEPALIVE} (so one to a server that went away is dropped before a request meets it); one
     * that fails because the server went away or turned read-only is thrown out with all the others
     * ({@link #evictIfGone}); and with {@code targetServerType=primary} the driver opens new ones only to a server
     * that takes writes. Until one does, a connection is waited for at most {@link #CONNECTION_TIMEOUT}: a 503.
     */
    private static HikariDataSource pool(String url, String user, String password) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setPoolName("ferry-db");
        config.setMaximumPoolSize(10);
        config.setConnectionTimeout(CONNECTION_TIMEOUT.toMillis());
        config.setValidationTimeout(2_000);
        config.setKeepaliveTime(KEEPALIVE.toMillis());
        config.setInitializationFailTimeout(-1);
        if (url != null && url.startsWith("jdbc:postgresql:")) {
            // a default the URL may override: a host that does not answer costs two seconds before the next one in a
            // multi-host URL is tried (the driver waits ten by default, longer than a request waits for a connection)
            config.addDataSourceProperty("connectTimeout", Long.toString(POSTGRESQL_CONNECT_TIMEOUT.toSeconds()));
        }
        return new HikariDataSource(config);
    }

    private void migrate() {
        try {
            Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot migrate the database at " + url
                    + " (is it running, and may user '" + user + "' create tables? check FERRY_DB_URL, FERRY_DB_USER, "
                    + "FERRY_DB_PASSWORD): " + redaction.scrub(e.getMessage()), e);
        }
        migrated = true;
        LOG.info("database {} is ready", url);
    }

    private void migrateInBackground() {
        Thread thread = new Thread(() -> {
            long waitMillis = 500;
            while (!migrated && !pool.isClosed()) {
                try {
                    if (closing.await(waitMillis, TimeUnit.MILLISECONDS)) {
                        return;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                try {
                    migrate();
                } catch (IllegalStateException e) {
                    if (!DataAccessException.isUnreachable(e)) {
                        LOG.error("{}; retrying every {} s", e.getMessage(), LONGEST_MIGRATION_RETRY.toSeconds());
                    }
                    waitMillis = Math.min(waitMillis * 2, LONGEST_MIGRATION_RETRY.toMillis());
                }
            }
        }, "ferry-db-migrate");
        thread.setDaemon(true);
        migrator = thread;
        thread.start();
    }

    /** Publishes the pool's meters ({@code hikaricp_*}, pool {@code ferry-db}) into {@code registry}. */
    public void recordPoolMetrics(io.micrometer.core.instrument.MeterRegistry registry) {
        pool.setMetricsTrackerFactory(new com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory(registry));
    }

    public DataSource dataSource() {
        return pool;
    }

    /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    public <T> T inTransaction(SqlWork<T> work) {
        requireMigrated();
        try (Connection connection = pool.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                rollback(connection, e);
                evictIfGone(connection, e);
                throw e;
            }
        } catch (SQLException e) {
            throw new DataAccessException("database transaction failed", e);
        }
    }

    /** Runs {@code work} with auto-commit (reads, single statements). */
    public <T> T read(SqlWork<T> work) {
        requireMigrated();
        try (Connection connection = pool.getConnection()) {
            try {
                return work.run(connection);
            } catch (SQLException e) {
                evictIfGone(connection, e);
                throw e;
            }
        } catch (SQLException e) {
            throw new DataAccessException("database query failed", e);
        }
    }

    /** Whether the database is migrated and answers a trivial query within two seconds. */
    public boolean answers() {
        if (!migrated) {
            return false;
        }
        try (Connection connection = pool.getConnection()) {
            return connection.isValid(2);
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    private void requireMigrated() {
        if (!migrated) {
            throw new DataAccessException("database not ready", new SQLTransientConnectionException(
                    "the database at " + url + " has not been reachable since this process started, so its schema "
                            + "is not migrated yet"));
        }
    }

    /**
     * Throws away a connection that failed because the database went away (or turned read-only: a demoted
     * primary), and every other one (they lead to the same server). Hikari does so itself only for the errors it knows (not, say, H2's
     * "connection is broken"), and a connection used again within half a second is not validated, so a
     * busy process would otherwise keep handing out dead connections.
     */
    private void evictIfGone(Connection connection, Throwable failure) {
        if (DataAccessException.isUnreachable(failure)) {
            pool.evictConnection(connection);
            pool.getHikariPoolMXBean().softEvictConnections();
        }
    }

    private static void rollback(Connection connection, Throwable cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    @Override
    public void close() {
        closing.countDown();
        Thread thread = migrator;
        if (thread != null) {
            thread.interrupt();
        }
        pool.close();
    }
}
