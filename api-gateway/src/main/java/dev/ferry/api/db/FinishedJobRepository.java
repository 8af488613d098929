package dev.ferry.api.db;

import dev.ferry.api.model.BackupStatus;
import dev.ferry.api.model.JobStatus;
import dev.ferry.api.model.ShareStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Finished jobs past their retention ({@code FERRY_JOB_RETENTION_DAYS}), and their deletion with their attempts.
 * Only jobs that ended (succeeded, failed, cancelled) are ever deleted. A finished job is kept, however old, while
 * its backup or share is in a status that a job drives (being created, restored, deleted or shrunk) or one that only
 * an admin's {@code reset_status} leaves ({@code error_deleting}, {@code backup_restoring_error}): the job's reason
 * and attempts are what tells the admin why.
 */
public final class FinishedJobRepository {
    /** The statuses a job never leaves. */
    static final Set<JobStatus> FINISHED = EnumSet.of(JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED);
    /** Backup statuses in which the backup's jobs are kept. */
    static final Set<BackupStatus> BACKUP_NEEDS_JOBS = EnumSet.of(BackupStatus.CREATING, BackupStatus.RESTORING,
            BackupStatus.DELETING, BackupStatus.ERROR_DELETING);
    /** Share statuses in which the share's jobs are kept. */
    static final Set<ShareStatus> SHARE_NEEDS_JOBS = EnumSet.of(ShareStatus.CREATING, ShareStatus.DELETING,
            ShareStatus.SHRINKING, ShareStatus.BACKUP_CREATING, ShareStatus.BACKUP_RESTORING,
            ShareStatus.ERROR_DELETING, ShareStatus.BACKUP_RESTORING_ERROR);

    /** What one deletion removed. */
    public record Deleted(int jobs, int attempts) {
    }

    /**
     * Up to {@code limit} ids of jobs that finished (were last updated) before {@code endedBefore} and that no backup
     * or share still needs.
     */
    public List<String> endedBefore(Connection c, LocalDateTime endedBefore, int limit) throws SQLException {
        List<String> finished = FINISHED.stream().map(JobStatus::wire).toList();
        List<String> backupBusy = BACKUP_NEEDS_JOBS.stream().map(BackupStatus::wire).toList();
        List<String> shareBusy = SHARE_NEEDS_JOBS.stream().map(ShareStatus::wire).toList();
        String sql = "SELECT j.id FROM jobs j WHERE j.status IN (" + marks(finished.size()) + ") AND j.updated_at < ? "
                + "AND NOT EXISTS (SELECT 1 FROM backups b WHERE b.id = j.backup_id AND b.status IN ("
                + marks(backupBusy.size()) + ")) "
                + "AND NOT EXISTS (SELECT 1 FROM shares s WHERE s.id = j.share_id AND s.status IN ("
                + marks(shareBusy.size()) + ")) LIMIT " + limit;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = bind(ps, 1, finished);
            ps.setObject(i++, endedBefore);
            i = bind(ps, i, backupBusy);
            bind(ps, i, shareBusy);
            List<String> ids = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return ids;
        }
    }

    /**
     * Deletes those of {@code ids} that are finished jobs, and their attempts. A job another caller deleted first is
     * not counted; a queued or running one is left alone.
     */
    public Deleted delete(Connection c, List<String> ids) throws SQLException {
        if (ids.isEmpty()) {
            return new Deleted(0, 0);
        }
        List<String> finished = FINISHED.stream().map(JobStatus::wire).toList();
        String finishedJobs = "SELECT id FROM jobs WHERE id IN (" + marks(ids.size()) + ") AND status IN ("
                + marks(finished.size()) + ")";
        int attempts;
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM job_attempts WHERE job_id IN (" + finishedJobs
                + ")")) {
            bind(ps, bind(ps, 1, ids), finished);
            attempts = ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM jobs WHERE id IN (" + marks(ids.size())
                + ") AND status IN (" + marks(finished.size()) + ")")) {
            bind(ps, bind(ps, 1, ids), finished);
            return new Deleted(ps.executeUpdate(), attempts);
        }
    }

    private static String marks(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }

    /** Binds {@code values} from parameter {@code first} on; returns the next parameter's index. */
    private static int bind(PreparedStatement ps, int first, List<String> values) throws SQLException {
        int i = first;
        for (String value : values) {
            ps.setString(i++, value);
        }
        return i;
    }
}
