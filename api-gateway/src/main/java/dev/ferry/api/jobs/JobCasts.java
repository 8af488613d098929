package dev.ferry.api.jobs;

import dev.ferry.api.db.Repositories;
import dev.ferry.api.db.Timestamps;
import dev.ferry.api.model.Backup;
import dev.ferry.api.model.Job;
import dev.ferry.api.model.Share;
import dev.ferry.messages.DataRpc;
import dev.ferry.messages.OsloTime;
import dev.ferry.messages.RequestContext;
import dev.ferry.messages.RpcRequest;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * A job's cast, rebuilt from the database (for a re-dispatch): in the name of the owner of its backup (or of
 * its share, for share jobs), carrying the job's original request id so the new holder's logs join the old.
 */
final class JobCasts {
    private final Repositories repos;

    JobCasts(Repositories repos) {
        this.repos = repos;
    }

    /** The cast, or empty when the backup or share it needs no longer exists. */
    Optional<RpcRequest> rebuild(Connection c, Job job) throws SQLException {
        Optional<Backup> backup = job.backupId() == null ? Optional.empty() : repos.backups().find(c, job.backupId());
        if (job.backupId() != null && backup.isEmpty()) {
            return Optional.empty();
        }
        if (!job.kind().sharesOnly()) {
            RequestContext context = contextOf(backup.get().userId(), backup.get().projectId(), job);
            return Optional.of(switch (job.kind()) {
                case RESTORE -> DataRpc.restoreBackup(backup.get().toRow(), job.shareId(), context);
                case CREATE_BACKUP -> DataRpc.createBackup(backup.get().toRow(), context);
                case DELETE_BACKUP -> DataRpc.deleteBackup(backup.get().toRow(), context);
                default -> throw new IllegalStateException("not a backup job: " + job.kind());
            });
        }
        Optional<Share> share = repos.shares().find(c, job.shareId());
        if (share.isEmpty()) {
            return Optional.empty();
        }
        RequestContext context = contextOf(share.get().userId(), share.get().projectId(), job);
        return Optional.of(switch (job.kind()) {
            case CREATE_SHARE -> DataRpc.createShare(job.shareId(), backup.map(Backup::toRow).orElse(null), context);
            case DELETE_SHARE -> DataRpc.deleteShare(job.shareId(), context);
            case SHRINK_SHARE -> DataRpc.shrinkShare(job.shareId(), job.newSize(), context);
            default -> throw new IllegalStateException("not a share job: " + job.kind());
        });
    }

    private RequestContext contextOf(String user, String project, Job job) {
        String requestId = job.requestId() != null ? job.requestId() : RequestContext.newRequestId();
        return new RequestContext(user, project, false, List.of(), requestId, null, null,
                OsloTime.format(Timestamps.now(repos.clock())));
    }
}
