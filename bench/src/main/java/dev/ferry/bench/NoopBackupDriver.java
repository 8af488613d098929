package dev.ferry.bench;

import dev.ferry.drivers.BackupDriver;
import dev.ferry.drivers.BackupDeleteRequest;
import dev.ferry.drivers.BackupRequest;
import dev.ferry.drivers.Cancellation;
import dev.ferry.drivers.CopyReport;
import dev.ferry.drivers.ProgressListener;
import dev.ferry.drivers.RestoreRequest;

/**
 * A backup driver that copies nothing: every backup and restore succeeds at once having written nothing, every
 * delete finds nothing to remove. With it a data node does each job's whole path except the copy (claim, lease,
 * transitions), which is what {@code bench/control-plane} measures. It lives in the bench module only, so no
 * {@code ferry} command can start a node with it.
 */
final class NoopBackupDriver implements BackupDriver {
    private static final CopyReport NOTHING = new CopyReport(0, 0, 0, 0, 0);

    @Override
    public boolean useDataManager() {
        return true;
    }

    @Override
    public boolean supportRestoreToTarget() {
        return true;
    }

    @Override
    public boolean supportsRestore(String backupProtocol, String targetProtocol) {
        return true;
    }

    @Override
    public boolean supportsBackup(String shareProtocol) {
        return true;
    }

    @Override
    public CopyReport backup(BackupRequest request, ProgressListener progress, Cancellation cancellation) {
        return NOTHING;
    }

    @Override
    public CopyReport restore(RestoreRequest request, ProgressListener progress, Cancellation cancellation) {
        return NOTHING;
    }

    @Override
    public void delete(BackupDeleteRequest request, Cancellation cancellation) {
    }
}
