package dev.ferry.api.db;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

/**
 * Which failures count as "the database is not reachable" (a 503, and the pool's connections thrown away): a server
 * that went away, one that no longer takes writes (a primary demoted or made read-only by a failover), never a
 * misconfiguration or a bad statement.
 */
class DataAccessExceptionTest {

    @Test
    void aServerThatWentAwayOrTurnedReadOnlyIsUnreachable() {
        for (String state : new String[] {"08006", "08001", "57P01", "57P03", "25006", "90067"}) {
            assertTrue(DataAccessException.isUnreachable(new SQLException("failed", state)), state);
        }
        assertTrue(DataAccessException.isUnreachable(new SQLTransientConnectionException("ferry-db - timed out",
                new SQLException("Could not find a server with specified targetServerType: primary", "08001"))));
        assertTrue(new DataAccessException("database transaction failed",
                new SQLException("cannot execute INSERT in a read-only transaction", "25006")).unavailable());
    }

    @Test
    void misconfigurationsAndBadStatementsAreNot() {
        for (String state : new String[] {"28P01", "3D000", "42P01", "23505", "22001", "40001"}) {
            assertFalse(DataAccessException.isUnreachable(new SQLException("failed", state)), state);
        }
        assertFalse(DataAccessException.isUnreachable(new SQLTransientConnectionException("ferry-db - timed out",
                new SQLException("password authentication failed", "28P01"))));
    }
}
