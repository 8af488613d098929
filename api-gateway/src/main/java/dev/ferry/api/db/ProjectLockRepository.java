package dev.ferry.api.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * {@code project_locks}: a row per project to serialise quota checks on, and rows named for other checks that must
 * take turns (such as {@code ferry:manage-exports}).
 */
public final class ProjectLockRepository {
    private static final String DUPLICATE_KEY = "23505";

    /** Adds the project's row unless it is there (run with auto-commit, before the transaction that locks it). */
    public void ensure(Connection c, String projectId) throws SQLException {
        if (exists(c, projectId)) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO project_locks (project_id) VALUES (?)")) {
            ps.setString(1, projectId);
            ps.executeUpdate();
        } catch (SQLException e) {
            if (!DUPLICATE_KEY.equals(e.getSQLState())) {
                throw e;
            }
        }
    }

    /** Locks the project's row until the transaction ends; false when the row is missing. */
    public boolean lock(Connection c, String projectId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT project_id FROM project_locks WHERE project_id = ? FOR UPDATE")) {
            ps.setString(1, projectId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static boolean exists(Connection c, String projectId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM project_locks WHERE project_id = ?")) {
            ps.setString(1, projectId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
