package dev.ferry.api.db;

import dev.ferry.api.model.JobAttempt;
import dev.ferry.messages.CopyCounters;
import dev.ferry.messages.FailureReasons;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads and writes {@code job_attempts}: one row per claim, closed once with how the hold ended. */
public final class JobAttemptRepository {
    private static final String COLUMNS = "job_id, epoch, node, started_at, ended_at, outcome";
    private static final String COUNTERS = "files_copied, files_skipped, bytes_copied, bytes_skipped, files_damaged, "
            + "metadata_dropped";
    /** Job ids per query: well below the bind-parameter limits of both databases. */
    private static final int CHUNK = 500;
    private final Clock clock;

    public JobAttemptRepository(Clock clock) {
        this.clock = clock;
    }

    /** A claim by {@code node} at {@code epoch} started now. */
    public void open(Connection c, String jobId, long epoch, String node) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO job_attempts (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, NULL, ?)")) {
            ps.setString(1, jobId);
            ps.setLong(2, epoch);
            ps.setString(3, node);
            ps.setObject(4, Timestamps.now(clock));
            ps.setString(5, JobAttempt.RUNNING);
            ps.executeUpdate();
        }
    }

    /**
     * Ends the open attempt at {@code epoch} with {@code outcome} ({@link FailureReasons#bound bounded}: a release
     * carries the node's reason); false when there is none.
     */
    public boolean close(Connection c, String jobId, long epoch, String outcome) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE job_attempts SET ended_at = ?, outcome = ? "
                + "WHERE job_id = ? AND epoch = ? AND ended_at IS NULL")) {
            ps.setObject(1, Timestamps.now(clock));
            ps.setString(2, FailureReasons.bound(outcome));
            ps.setString(3, jobId);
            ps.setLong(4, epoch);
            return ps.executeUpdate() == 1;
        }
    }

    /** Keeps what the attempt at {@code epoch} copied, as its node reported it; false when there is no such attempt. */
    public boolean keepCounters(Connection c, String jobId, long epoch, CopyCounters counters) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE job_attempts SET files_copied = ?, files_skipped = ?, "
                + "bytes_copied = ?, bytes_skipped = ?, files_damaged = ?, metadata_dropped = ? "
                + "WHERE job_id = ? AND epoch = ?")) {
            ps.setLong(1, counters.filesCopied());
            ps.setLong(2, counters.filesSkipped());
            ps.setLong(3, counters.bytesCopied());
            ps.setLong(4, counters.bytesSkipped());
            ps.setLong(5, counters.filesDamaged());
            ps.setLong(6, counters.metadataDropped());
            ps.setString(7, jobId);
            ps.setLong(8, epoch);
            return ps.executeUpdate() == 1;
        }
    }

    /** How many attempts {@code jobId} has had, the running one included. */
    public int count(Connection c, String jobId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM job_attempts WHERE job_id = ?")) {
            ps.setString(1, jobId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /**
     * Keeps the hashes of the grant's secret and of the claim's token for the attempt at {@code epoch} (a new
     * grant of the same attempt replaces them); false when there is no such attempt.
     */
    public boolean keepSecretHashes(Connection c, String jobId, long epoch, String secretHash, String claimTokenHash)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE job_attempts SET secret_hash = ?, claim_token_hash = ? "
                + "WHERE job_id = ? AND epoch = ?")) {
            ps.setString(1, secretHash);
            ps.setString(2, claimTokenHash);
            ps.setString(3, jobId);
            ps.setLong(4, epoch);
            return ps.executeUpdate() == 1;
        }
    }

    /** The stored hashes of the attempt at {@code epoch}; empty when there is no such attempt. */
    public Optional<SecretHashes> secretHashes(Connection c, String jobId, long epoch) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT secret_hash, claim_token_hash FROM job_attempts "
                + "WHERE job_id = ? AND epoch = ?")) {
            ps.setString(1, jobId);
            ps.setLong(2, epoch);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new SecretHashes(rs.getString(1), rs.getString(2))) : Optional.empty();
            }
        }
    }

    /** What is kept of a grant's secret and of its claim's token: their hashes (null when there were none). */
    public record SecretHashes(String secretHash, String claimTokenHash) {
    }

    /** One job's attempts, oldest first. */
    public List<JobAttempt> forJob(Connection c, String jobId) throws SQLException {
        return forJobs(c, List.of(jobId)).getOrDefault(jobId, List.of());
    }

    /** The attempts of each of these jobs, oldest first; jobs without any are absent. */
    public Map<String, List<JobAttempt>> forJobs(Connection c, Collection<String> jobIds) throws SQLException {
        Map<String, List<JobAttempt>> byJob = new LinkedHashMap<>();
        List<String> ids = List.copyOf(jobIds);
        for (int from = 0; from < ids.size(); from += CHUNK) {
            read(c, ids.subList(from, Math.min(ids.size(), from + CHUNK)), byJob);
        }
        return byJob;
    }

    /** The attempt's counters; null when its node reported none. */
    private static CopyCounters counters(ResultSet rs) throws SQLException {
        if (rs.getObject("files_copied") == null) {
            return null;
        }
        return new CopyCounters(rs.getLong("files_copied"), rs.getLong("files_skipped"), rs.getLong("bytes_copied"),
                rs.getLong("bytes_skipped"), rs.getLong("files_damaged"), rs.getLong("metadata_dropped"));
    }

    private static void read(Connection c, List<String> jobIds, Map<String, List<JobAttempt>> byJob)
            throws SQLException {
        String marks = String.join(", ", Collections.nCopies(jobIds.size(), "?"));
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + ", " + COUNTERS + " FROM job_attempts WHERE job_id IN ("
                + marks + ") ORDER BY job_id, epoch")) {
            for (int i = 0; i < jobIds.size(); i++) {
                ps.setString(i + 1, jobIds.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    JobAttempt attempt = new JobAttempt(rs.getString("job_id"), rs.getLong("epoch"),
                            rs.getString("node"), Timestamps.read(rs, "started_at"), Timestamps.read(rs, "ended_at"),
                            rs.getString("outcome"), counters(rs));
                    byJob.computeIfAbsent(attempt.jobId(), k -> new ArrayList<>()).add(attempt);
                }
            }
        }
    }
}
