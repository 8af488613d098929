package dev.ferry.api.db;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

/** A database failure that is nobody's request's fault (unreachable server, broken SQL, a lock timeout). */
public final class DataAccessException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    /**
     * SQL states that mean the server went away: PostgreSQL's admin shutdown, crash shutdown and "cannot
     * connect now"; H2's "connection is broken", "database is closed" and "database is already closed".
     * Class 08 is connection failure.
     */
    private static final Set<String> GONE = Set.of("57P01", "57P02", "57P03", "90067", "90098", "90121");
    /** The database named does not exist (PostgreSQL, H2). Class 28 is invalid authorization. */
    private static final Set<String> MISCONFIGURED = Set.of("3D000", "90146");

    public DataAccessException(String message, SQLException cause) {
        super(message + ": " + cause.getMessage(), cause);
    }

    /** True when no connection could be had: the database is down or the pool is exhausted. */
    public boolean unavailable() {
        return isUnreachable(getCause());
    }

    /**
     * Whether {@code failure} (or a cause) says the database could not be reached. A connection refused for
     * bad credentials or a missing database is a misconfiguration, not an outage, even when the pool
     * reports it as a timeout.
     */
    public static boolean isUnreachable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("28") || MISCONFIGURED.contains(sql.getSQLState()))) {
                return false;
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || GONE.contains(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }
}
