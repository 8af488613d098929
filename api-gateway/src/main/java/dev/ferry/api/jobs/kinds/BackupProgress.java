package dev.ferry.api.jobs.kinds;

import dev.ferry.api.db.BackupRepository.ProgressField;
import dev.ferry.api.db.Repositories;
import dev.ferry.api.model.Backup;
import dev.ferry.api.model.BackupStatus;
import dev.ferry.api.model.Job;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A job's progress recorded on its backup ({@code progress} or {@code restore_progress}); it never goes back. */
final class BackupProgress {
    private static final Logger LOG = LoggerFactory.getLogger(BackupProgress.class);

    private BackupProgress() {
    }

    /** False when the backup is no longer {@code expected}. */
    static boolean record(Repositories repos, Connection c, Job job, int percent, BackupStatus expected,
                          ProgressField field) throws SQLException {
        Optional<Backup> backup = repos.backups().find(c, job.backupId()).filter(b -> b.status() == expected);
        if (backup.isEmpty()) {
            LOG.info("progress {}% of job {} not recorded: backup {} is not {}", percent, job.id(), job.backupId(),
                    expected.wire());
            return false;
        }
        String current = field == ProgressField.RESTORE_PROGRESS ? backup.get().restoreProgress()
                : backup.get().progress();
        if (percent <= parse(current)) {
            return true;
        }
        repos.backups().setProgress(c, job.backupId(), expected, field, current, Integer.toString(percent));
        return true;
    }

    private static int parse(String progress) {
        try {
            return progress == null ? 0 : Integer.parseInt(progress.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
