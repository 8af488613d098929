package dev.ferry.api.db;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Optional;
import java.util.Set;

/** A database failure that is nobody's request's fault (unreachable server, broken SQL, a lock timeout). */
public final class DataAccessException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    /**
     * SQL states that mean the server went away or no longer takes writes: PostgreSQL's admin shutdown, crash
     * shutdown, "cannot connect now" and "read-only SQL transaction" (a server that was demoted to a standby or made
     * read-only while this connection was open; the primary is elsewhere now, or about to be); H2's "connection is
     * broken", "database is closed" and "database is already closed". Class 08 is connection failure.
     */
    private static final Set<String> GONE = Set.of("57P01", "57P02", "57P03", "25006", "90067", "90098", "90121");
    /** The database named does not exist (PostgreSQL, H2). Class 28 is invalid authorization. */
    private static final Set<String> MISCONFIGURED = Set.of("3D000", "90146");
    /** Longest SQL message {@link #describe} keeps. */
    private static final int SHORT_MESSAGE_CHARS = 200;

    public DataAccessException(String message, SQLException cause) {
        super(message + ": " + cause.getMessage(), cause);
    }

    /**
     * The database's refusal of a value it was asked to store: an SQLException (this one's cause, or one of its
     * causes) whose SQLState is of class 22, "data exception" (a value too long for its column, a character the
     * database cannot hold, a number out of range). Trying again stores the same value, so it fails again.
     */
    public Optional<SQLException> refusedValue() {
        for (Throwable t = getCause(); t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("22")) {
                return Optional.of(sql);
            }
        }
        return Optional.empty();
    }

    /**
     * Whether the database refused a row because another one already holds its unique key (SQLState 23505, in
     * PostgreSQL and H2): typically two requests that raced to create the same thing.
     */
    public boolean uniqueViolation() {
        for (Throwable t = getCause(); t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /**
     * "SQLState 22001: value too long …": the state and the first line of the message, without the statement H2
     * appends, at most {@value #SHORT_MESSAGE_CHARS} characters.
     */
    public static String describe(SQLException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        int statement = message.indexOf("; SQL statement:");
        if (statement >= 0) {
            message = message.substring(0, statement);
        }
        int newline = message.indexOf('\n');
        if (newline >= 0) {
            message = message.substring(0, newline);
        }
        if (message.length() > SHORT_MESSAGE_CHARS) {
            int end = Character.isHighSurrogate(message.charAt(SHORT_MESSAGE_CHARS - 1)) ? SHORT_MESSAGE_CHARS - 1
                    : SHORT_MESSAGE_CHARS;
            message = message.substring(0, end) + "…";
        }
        return "SQLState " + e.getSQLState() + ": " + message.strip();
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
