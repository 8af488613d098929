package dev.ferry.api.db;

import dev.ferry.api.model.Job;
import dev.ferry.api.model.JobStatus;
import dev.ferry.messages.JobKind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads and writes {@code jobs}. A claim is a compare-and-set on the status that bumps the epoch. */
public final class JobRepository {
    private static final String COLUMNS = "id, kind, backup_id, share_id, status, epoch, node, request_id, detail_id, "
            + "reason, created_at, updated_at";
    private final Clock clock;

    public JobRepository(Clock clock) {
        this.clock = clock;
    }

    public void insert(Connection c, Job job) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO jobs (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, job.id());
            ps.setString(2, job.kind().wireName());
            ps.setString(3, job.backupId());
            ps.setString(4, job.shareId());
            ps.setString(5, job.status().wire());
            ps.setLong(6, job.epoch());
            ps.setString(7, job.node());
            ps.setString(8, job.requestId());
            ps.setString(9, job.detailId());
            ps.setString(10, job.reason());
            ps.setObject(11, job.createdAt());
            ps.setObject(12, job.updatedAt());
            ps.executeUpdate();
        }
    }

    public Optional<Job> find(Connection c, String id) throws SQLException {
        return one(c, "SELECT " + COLUMNS + " FROM jobs WHERE id = ?", id);
    }

    /** The job, its row locked until the transaction ends (transitions of one job apply one at a time). */
    public Optional<Job> findForUpdate(Connection c, String id) throws SQLException {
        return one(c, "SELECT " + COLUMNS + " FROM jobs WHERE id = ? FOR UPDATE", id);
    }

    /** The oldest queued job for this backup and share, if any. */
    public Optional<Job> oldestQueued(Connection c, JobKind kind, String backupId, String shareId)
            throws SQLException {
        List<Job> jobs = query(c, "SELECT " + COLUMNS + " FROM jobs WHERE kind = ? AND backup_id = ? AND share_id = ? "
                + "AND status = ? ORDER BY created_at, id LIMIT 1", kind.wireName(), backupId, shareId,
                JobStatus.QUEUED.wire());
        return jobs.stream().findFirst();
    }

    /** Every job of this kind for this backup, newest first. */
    public List<Job> forBackup(Connection c, JobKind kind, String backupId) throws SQLException {
        return query(c, "SELECT " + COLUMNS + " FROM jobs WHERE kind = ? AND backup_id = ? ORDER BY created_at DESC, "
                + "id DESC", kind.wireName(), backupId);
    }

    /** The newest job of this kind for this backup and share, if any. */
    public Optional<Job> latest(Connection c, JobKind kind, String backupId, String shareId) throws SQLException {
        return query(c, "SELECT " + COLUMNS + " FROM jobs WHERE kind = ? AND backup_id = ? AND share_id = ? "
                + "ORDER BY created_at DESC, id DESC LIMIT 1", kind.wireName(), backupId, shareId).stream().findFirst();
    }

    /** The job a request created for this backup and share: a replayed cast finds its own job here. */
    public Optional<Job> forRequest(Connection c, JobKind kind, String backupId, String shareId, String requestId)
            throws SQLException {
        return query(c, "SELECT " + COLUMNS + " FROM jobs WHERE kind = ? AND backup_id = ? AND share_id = ? "
                + "AND request_id = ? ORDER BY created_at DESC, id DESC LIMIT 1", kind.wireName(), backupId, shareId,
                requestId).stream().findFirst();
    }

    /** queued → running for {@code node}, with the epoch one higher; false when it was no longer queued. */
    public boolean claim(Connection c, String id, String node) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE jobs SET status = ?, epoch = epoch + 1, node = ?, "
                + "updated_at = ? WHERE id = ? AND status = ?")) {
            ps.setString(1, JobStatus.RUNNING.wire());
            ps.setString(2, node);
            ps.setObject(3, Timestamps.now(clock));
            ps.setString(4, id);
            ps.setString(5, JobStatus.QUEUED.wire());
            return ps.executeUpdate() == 1;
        }
    }

    /** running at {@code epoch} → succeeded or failed; false when the job is not running at that epoch. */
    public boolean finish(Connection c, String id, long epoch, JobStatus to, String detailId, String reason)
            throws SQLException {
        if (!JobStatus.RUNNING.canBecome(to)) {
            throw new IllegalStateException("a job may not go from running to " + to.wire());
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE jobs SET status = ?, detail_id = ?, reason = ?, "
                + "updated_at = ? WHERE id = ? AND status = ? AND epoch = ?")) {
            ps.setString(1, to.wire());
            ps.setString(2, detailId);
            ps.setString(3, reason);
            ps.setObject(4, Timestamps.now(clock));
            ps.setString(5, id);
            ps.setString(6, JobStatus.RUNNING.wire());
            ps.setLong(7, epoch);
            return ps.executeUpdate() == 1;
        }
    }

    /** Records that the running job at {@code epoch} reported in (progress). */
    public boolean touch(Connection c, String id, long epoch) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE jobs SET updated_at = ? WHERE id = ? AND status = ? AND epoch = ?")) {
            ps.setObject(1, Timestamps.now(clock));
            ps.setString(2, id);
            ps.setString(3, JobStatus.RUNNING.wire());
            ps.setLong(4, epoch);
            return ps.executeUpdate() == 1;
        }
    }

    private Optional<Job> one(Connection c, String sql, String id) throws SQLException {
        return query(c, sql, id).stream().findFirst();
    }

    private static List<Job> query(Connection c, String sql, String... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            List<Job> jobs = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    jobs.add(map(rs));
                }
            }
            return jobs;
        }
    }

    private static Job map(ResultSet rs) throws SQLException {
        return new Job(rs.getString("id"), JobKind.fromWire(rs.getString("kind")), rs.getString("backup_id"),
                rs.getString("share_id"), JobStatus.fromWire(rs.getString("status")), rs.getLong("epoch"),
                rs.getString("node"), rs.getString("request_id"), rs.getString("detail_id"), rs.getString("reason"),
                Timestamps.read(rs, "created_at"), Timestamps.read(rs, "updated_at"));
    }
}
