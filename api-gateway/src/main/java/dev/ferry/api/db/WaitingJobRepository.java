package dev.ferry.api.db;

import dev.ferry.api.model.JobStatus;
import dev.ferry.messages.JobKind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/** The queued jobs whose users were not yet told that they wait for a data node ({@code jobs.no_node_notice}). */
public final class WaitingJobRepository {

    /** What the notice needs of a queued job. */
    public record WaitingJob(String id, JobKind kind, String backupId, String shareId, String requestId) {
    }

    /** Jobs queued since {@code before} or earlier, without a notice, the longest waiting first. */
    public List<WaitingJob> queuedSince(Connection c, LocalDateTime before, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, kind, backup_id, share_id, request_id FROM jobs "
                + "WHERE status = ? AND no_node_notice = FALSE AND updated_at <= ? ORDER BY updated_at, id LIMIT "
                + limit)) {
            ps.setString(1, JobStatus.QUEUED.wire());
            ps.setObject(2, before);
            List<WaitingJob> jobs = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    jobs.add(new WaitingJob(rs.getString("id"), JobKind.fromWire(rs.getString("kind")),
                            rs.getString("backup_id"), rs.getString("share_id"), rs.getString("request_id")));
                }
            }
            return jobs;
        }
    }

    /** Marks the notice given, while the job is still queued without one; false when another replica was first. */
    public boolean markNoticed(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE jobs SET no_node_notice = TRUE WHERE id = ? "
                + "AND status = ? AND no_node_notice = FALSE")) {
            ps.setString(1, id);
            ps.setString(2, JobStatus.QUEUED.wire());
            return ps.executeUpdate() == 1;
        }
    }
}
