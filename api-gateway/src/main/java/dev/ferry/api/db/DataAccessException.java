package dev.ferry.api.db;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/** A database failure that is nobody's request's fault (unreachable server, broken SQL, a lock timeout). */
public final class DataAccessException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DataAccessException(String message, SQLException cause) {
        super(message + ": " + cause.getMessage(), cause);
    }

    /** True when no connection could be had: the database is down or the pool is exhausted. */
    public boolean unavailable() {
        for (Throwable t = getCause(); t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
                return true;
            }
        }
        return false;
    }
}
