package dev.ferry.api.db;

import dev.ferry.api.model.Job;
import dev.ferry.api.model.JobStatus;
import dev.ferry.messages.FailureReasons;
import dev.ferry.messages.JobKind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads and writes {@code jobs}. A claim is a compare-and-set on the status that bumps the epoch and
 * starts a lease; a renewal, a release and an expiry are compare-and-sets on (status, epoch), so a
 * node that lost its job, or a second reaper, changes nothing.
 */
public final class JobRepository {
    private static final String COLUMNS = "id, kind, backup_id, share_id, status, epoch, node, request_id, detail_id, "
            + "reason, lease_expires_at, created_at, updated_at, new_size, restore_selection";
    private final Clock clock;

    public JobRepository(Clock clock) {
        this.clock = clock;
    }

    /** What the admin job list shows: newest first, optionally one status or kind. */
    public record Filter(JobStatus status, JobKind kind, int limit) {
    }

    public void insert(Connection c, Job job) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO jobs (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
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
            ps.setObject(11, job.leaseExpiresAt());
            ps.setObject(12, job.createdAt());
            ps.setObject(13, job.updatedAt());
            ps.setObject(14, job.newSize());
            ps.setString(15, job.restoreSelection());
            ps.executeUpdate();
        }
    }

    public Optional<Job> find(Connection c, String id) throws SQLException {
        return query(c, "SELECT " + COLUMNS + " FROM jobs WHERE id = ?", id).stream().findFirst();
    }

    /** The job, its row locked until the transaction ends (transitions of one job apply one at a time). */
    public Optional<Job> findForUpdate(Connection c, String id) throws SQLException {
        return query(c, "SELECT " + COLUMNS + " FROM jobs WHERE id = ? FOR UPDATE", id).stream().findFirst();
    }

    /** The oldest queued job for this backup and share, if any. */
    public Optional<Job> oldestQueued(Connection c, JobKind kind, String backupId, String shareId)
            throws SQLException {
        List<Job> jobs = query(c, "SELECT " + COLUMNS + " FROM jobs WHERE kind = ? AND " + backupIs(backupId)
                + " AND share_id = ? AND status = ? ORDER BY created_at, id LIMIT 1",
                withBackup(backupId, kind.wireName(), shareId, JobStatus.QUEUED.wire()));
        return jobs.stream().findFirst();
    }

    /** Every job of this kind for this backup, newest first. */
    public List<Job> forBackup(Connection c, JobKind kind, String backupId) throws SQLException {
        return query(c, "SELECT " + COLUMNS + " FROM jobs WHERE kind = ? AND backup_id = ? ORDER BY created_at DESC, "
                + "id DESC", kind.wireName(), backupId);
    }

    /** The newest job of this kind for this backup and share, if any. */
    public Optional<Job> latest(Connection c, JobKind kind, String backupId, String shareId) throws SQLException {
        return query(c, "SELECT " + COLUMNS + " FROM jobs WHERE kind = ? AND " + backupIs(backupId)
                + " AND share_id = ? ORDER BY created_at DESC, id DESC LIMIT 1",
                withBackup(backupId, kind.wireName(), shareId)).stream().findFirst();
    }

    /** The job a request created for this backup and share: a replayed cast finds its own job here. */
    public Optional<Job> forRequest(Connection c, JobKind kind, String backupId, String shareId, String requestId)
            throws SQLException {
        return query(c, "SELECT " + COLUMNS + " FROM jobs WHERE kind = ? AND " + backupIs(backupId)
                + " AND share_id = ? AND request_id = ? ORDER BY created_at DESC, id DESC LIMIT 1",
                withBackup(backupId, kind.wireName(), shareId, requestId)).stream().findFirst();
    }

    /** Jobs newest first, as the filter narrows them. */
    public List<Job> list(Connection c, Filter filter) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM jobs WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (filter.status() != null) {
            sql.append(" AND status = ?");
            args.add(filter.status().wire());
        }
        if (filter.kind() != null) {
            sql.append(" AND kind = ?");
            args.add(filter.kind().wireName());
        }
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT ").append(filter.limit());
        return query(c, sql.toString(), args.toArray());
    }

    /** Running jobs whose lease ended before {@code now}, the longest expired first. */
    public List<Job> expiredLeases(Connection c, LocalDateTime now, int limit) throws SQLException {
        return query(c, "SELECT " + COLUMNS + " FROM jobs WHERE status = ? AND lease_expires_at < ? "
                + "ORDER BY lease_expires_at, id LIMIT " + limit, JobStatus.RUNNING.wire(), now);
    }

    /** The kinds of the jobs queued since before {@code cutoff} (their last change), without looking further. */
    public java.util.Set<JobKind> queuedKindsSince(Connection c, LocalDateTime cutoff) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT kind FROM jobs WHERE status = ? "
                + "AND updated_at < ?")) {
            bind(ps, JobStatus.QUEUED.wire(), cutoff);
            java.util.Set<JobKind> kinds = java.util.EnumSet.noneOf(JobKind.class);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    kinds.add(JobKind.fromWire(rs.getString(1)));
                }
            }
            return kinds;
        }
    }

    /**
     * Queued jobs of these kinds that have waited unclaimed since before {@code cutoff} (their last change: the
     * request, or a return to the queue) and whose request has no cast unsent or sent at {@code cutoff} or later,
     * the longest waiting first, their rows locked until the caller's transaction ends, passing over rows another
     * transaction holds ({@code FOR UPDATE SKIP LOCKED}), so that two api-gateways never take the same job at once.
     */
    public List<Job> unclaimedSince(Connection c, LocalDateTime cutoff, java.util.Collection<JobKind> kinds,
                                    int limit) throws SQLException {
        if (kinds.isEmpty()) {
            return List.of();
        }
        List<Object> args = new ArrayList<>();
        args.add(JobStatus.QUEUED.wire());
        args.add(cutoff);
        kinds.forEach(kind -> args.add(kind.wireName()));
        args.add(cutoff);
        return query(c, "SELECT " + COLUMNS + " FROM jobs j WHERE status = ? AND updated_at < ? AND kind IN ("
                + String.join(", ", java.util.Collections.nCopies(kinds.size(), "?")) + ") AND NOT EXISTS (SELECT 1 FROM outbox o "
                + "WHERE o.request_id = j.request_id AND (o.sent_at IS NULL OR o.sent_at >= ?)) "
                + "ORDER BY updated_at, id LIMIT " + limit + " FOR UPDATE SKIP LOCKED", args.toArray());
    }

    /**
     * Records that a queued job was cast again: its {@code updated_at} becomes now, while it is still queued as
     * {@code job} was read; false when it was claimed, ended or cast again meanwhile.
     */
    public boolean markRecast(Connection c, Job job) throws SQLException {
        return update(c, "UPDATE jobs SET updated_at = ? WHERE id = ? AND status = ? AND epoch = ? AND updated_at = ?",
                Timestamps.now(clock), job.id(), JobStatus.QUEUED.wire(), job.epoch(), job.updatedAt());
    }

    /**
     * queued → running for {@code node}, with the epoch one higher and a lease until {@code leaseUntil};
     * false when it was no longer queued.
     */
    public boolean claim(Connection c, String id, String node, LocalDateTime leaseUntil) throws SQLException {
        return update(c, "UPDATE jobs SET status = ?, epoch = epoch + 1, node = ?, lease_expires_at = ?, "
                + "updated_at = ? WHERE id = ? AND status = ?", JobStatus.RUNNING.wire(), node, leaseUntil,
                Timestamps.now(clock), id, JobStatus.QUEUED.wire());
    }

    /** Extends the lease of {@code node}'s hold at {@code epoch}; false when it holds the job no more. */
    public boolean renew(Connection c, String id, long epoch, String node, LocalDateTime leaseUntil)
            throws SQLException {
        return update(c, "UPDATE jobs SET lease_expires_at = ? WHERE id = ? AND epoch = ? AND status = ? "
                + "AND node = ?", leaseUntil, id, epoch, JobStatus.RUNNING.wire(), node);
    }

    /** Records that the holder may write into the job's target from now on; false when it no longer holds it. */
    public boolean markTargetWritten(Connection c, String id, long epoch, String node) throws SQLException {
        return update(c, "UPDATE jobs SET target_written = TRUE WHERE id = ? AND epoch = ? AND status = ? "
                + "AND node = ?", id, epoch, JobStatus.RUNNING.wire(), node);
    }

    /** Whether a holder of the job, in this attempt or an earlier one, announced writing into its target. */
    public boolean targetWritten(Connection c, String id) throws SQLException {
        try (java.sql.PreparedStatement ps = c.prepareStatement("SELECT target_written FROM jobs WHERE id = ?")) {
            ps.setString(1, id);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /** running at {@code epoch} held by {@code node} → queued at the next epoch; false when it is not. */
    public boolean release(Connection c, String id, long epoch, String node) throws SQLException {
        return update(c, "UPDATE jobs SET status = ?, epoch = epoch + 1, node = NULL, lease_expires_at = NULL, "
                + "updated_at = ? WHERE id = ? AND epoch = ? AND status = ? AND node = ?", JobStatus.QUEUED.wire(),
                Timestamps.now(clock), id, epoch, JobStatus.RUNNING.wire(), node);
    }

    /**
     * running at {@code epoch} with a lease that ended before {@code now} → queued at the next epoch; false
     * when it is not (renewed, finished, or another reaper was first).
     */
    public boolean expire(Connection c, String id, long epoch, LocalDateTime now) throws SQLException {
        return update(c, "UPDATE jobs SET status = ?, epoch = epoch + 1, node = NULL, lease_expires_at = NULL, "
                + "updated_at = ? WHERE id = ? AND epoch = ? AND status = ? AND lease_expires_at < ?",
                JobStatus.QUEUED.wire(), Timestamps.now(clock), id, epoch, JobStatus.RUNNING.wire(), now);
    }

    /**
     * running at {@code epoch} → succeeded or failed, with the reason {@link FailureReasons#bound bounded}; false
     * when the job is not running at that epoch.
     */
    public boolean finish(Connection c, String id, long epoch, JobStatus to, String detailId, String reason)
            throws SQLException {
        if (to != JobStatus.SUCCEEDED && to != JobStatus.FAILED) {
            throw new IllegalStateException("a job finishes as succeeded or failed, not " + to.wire());
        }
        return update(c, "UPDATE jobs SET status = ?, detail_id = ?, reason = ?, lease_expires_at = NULL, "
                + "updated_at = ? WHERE id = ? AND status = ? AND epoch = ?", to.wire(), detailId,
                FailureReasons.bound(reason),
                Timestamps.now(clock), id, JobStatus.RUNNING.wire(), epoch);
    }

    /**
     * queued or running at {@code epoch} → cancelled, with the detail and the reason {@link FailureReasons#bound
     * bounded}; its lease ends, so its holder's next renewal is refused. False when the job was neither at that
     * epoch.
     */
    public boolean cancel(Connection c, String id, long epoch, String detailId, String reason) throws SQLException {
        return update(c, "UPDATE jobs SET status = ?, detail_id = ?, reason = ?, lease_expires_at = NULL, "
                + "updated_at = ? WHERE id = ? AND status IN (?, ?) AND epoch = ?", JobStatus.CANCELLED.wire(),
                detailId, FailureReasons.bound(reason), Timestamps.now(clock), id, JobStatus.QUEUED.wire(),
                JobStatus.RUNNING.wire(), epoch);
    }

    /** Unfinished jobs about this backup, of any kind, oldest first, their rows locked. */
    public List<Job> activeForBackupForUpdate(Connection c, String backupId) throws SQLException {
        return query(c, "SELECT " + COLUMNS + " FROM jobs WHERE backup_id = ? AND status IN (?, ?) "
                + "ORDER BY created_at, id FOR UPDATE", backupId, JobStatus.QUEUED.wire(), JobStatus.RUNNING.wire());
    }

    /** Unfinished jobs about this share, of any kind, oldest first, their rows locked. */
    public List<Job> activeForShareForUpdate(Connection c, String shareId) throws SQLException {
        return query(c, "SELECT " + COLUMNS + " FROM jobs WHERE share_id = ? AND status IN (?, ?) "
                + "ORDER BY created_at, id FOR UPDATE", shareId, JobStatus.QUEUED.wire(), JobStatus.RUNNING.wire());
    }

    /** Records that the running job at {@code epoch} reported in (progress). */
    public boolean touch(Connection c, String id, long epoch) throws SQLException {
        return update(c, "UPDATE jobs SET updated_at = ? WHERE id = ? AND status = ? AND epoch = ?",
                Timestamps.now(clock), id, JobStatus.RUNNING.wire(), epoch);
    }

    /** Share jobs without a backup store NULL, which {@code = ?} never matches. */
    private static String backupIs(String backupId) {
        return backupId == null ? "backup_id IS NULL" : "backup_id = ?";
    }

    /** The arguments of a lookup by kind and backup: the kind, the backup id unless it is null, the rest. */
    private static Object[] withBackup(String backupId, String kind, Object... rest) {
        List<Object> args = new ArrayList<>();
        args.add(kind);
        if (backupId != null) {
            args.add(backupId);
        }
        args.addAll(List.of(rest));
        return args.toArray();
    }

    /** Unfinished jobs of this share, of any kind. */
    public List<Job> activeForShare(Connection c, String shareId) throws SQLException {
        return query(c, "SELECT " + COLUMNS + " FROM jobs WHERE share_id = ? AND status IN (?, ?) ORDER BY created_at",
                shareId, JobStatus.QUEUED.wire(), JobStatus.RUNNING.wire());
    }

    private static boolean update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate() == 1;
        }
    }

    private static List<Job> query(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            List<Job> jobs = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    jobs.add(map(rs));
                }
            }
            return jobs;
        }
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            if (args[i] instanceof Long number) {
                ps.setLong(i + 1, number);
            } else {
                ps.setObject(i + 1, args[i]);
            }
        }
    }

    private static Job map(ResultSet rs) throws SQLException {
        return new Job(rs.getString("id"), JobKind.fromWire(rs.getString("kind")), rs.getString("backup_id"),
                rs.getString("share_id"), JobStatus.fromWire(rs.getString("status")), rs.getLong("epoch"),
                rs.getString("node"), rs.getString("request_id"), rs.getString("detail_id"), rs.getString("reason"),
                Timestamps.read(rs, "lease_expires_at"), Timestamps.read(rs, "created_at"),
                Timestamps.read(rs, "updated_at"), (Integer) rs.getObject("new_size"), rs.getString("restore_selection"));
    }
}
