package dev.ferry.api.service;

import dev.ferry.api.ServiceSettings;
import dev.ferry.api.db.Database;
import dev.ferry.api.db.Repositories;
import dev.ferry.api.jobs.kinds.JobKinds;
import dev.ferry.api.jobs.kinds.Refusal;
import dev.ferry.api.jobs.kinds.RestoreKind;
import dev.ferry.api.model.Backup;
import dev.ferry.api.model.DataService;
import dev.ferry.api.model.Job;
import dev.ferry.api.model.Share;
import dev.ferry.messages.RequestContext;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v2/share-backups/{id}/action {"restore": ...}}: the restore's checks ({@link RestoreKind#admission},
 * Manila's in Manila's order plus Ferry's 403 for another project's public share; the same a cast that did not come
 * through the API gets), then one transaction: backup → restoring, target → backup_restoring, a queued job and the
 * {@code restore_backup} cast in the outbox ({@link RestoreKind#enqueue}). While a data node is up, a restore that
 * none of the up nodes' drivers can do is refused first ({@link DataNodeCapabilities}). A lost race answers like the
 * status check it lost.
 */
public final class RestoreService {
    private static final Logger LOG = LoggerFactory.getLogger(RestoreService.class);
    private final Database db;
    private final Repositories repos;
    private final Policies policies;
    private final CastOutbox outbox;
    private final DataNodeCapabilities nodes;
    private final RestoreKind restores;
    private final BackupPathCheck paths;

    /** Judging data nodes by the default {@link ServiceSettings}. */
    public RestoreService(Repositories repos, CastOutbox outbox, Policies policies) {
        this(repos, outbox, policies, new DataNodeCapabilities(repos.database(), repos.clock(),
                ServiceSettings.DEFAULTS));
    }

    /** {@code nodes}: a restore no up data node could do is refused when it arrives. Ferry's kinds. */
    public RestoreService(Repositories repos, CastOutbox outbox, Policies policies, DataNodeCapabilities nodes) {
        this(repos, outbox, policies, nodes, JobKinds.standard(repos));
    }

    /** {@code kinds}: the restore's admission and start; the paths of selective restores are not checked. */
    public RestoreService(Repositories repos, CastOutbox outbox, Policies policies, DataNodeCapabilities nodes,
                          JobKinds kinds) {
        this(repos, outbox, policies, nodes, kinds, BackupPathCheck.ACCEPT_ALL);
    }

    /** {@code paths}: whether a backup holds the paths a selective restore names. */
    public RestoreService(Repositories repos, CastOutbox outbox, Policies policies, DataNodeCapabilities nodes,
                          JobKinds kinds, BackupPathCheck paths) {
        this.paths = paths;
        this.repos = repos;
        this.policies = policies;
        this.db = repos.database();
        this.outbox = outbox;
        this.nodes = nodes;
        this.restores = kinds.restore();
    }

    /** An accepted restore: what the 202 reports, and the job that will do it. */
    public record Accepted(String backupId, String shareId, String jobId) {
    }

    /**
     * What a restore request names, read on one connection: the backup (null: not found), the target's id and row
     * (null: not found), the protocol of the backup's own share (null: gone), and the data nodes up now.
     */
    private record Found(Backup backup, String targetId, Share target, String backupProtocol,
                         List<DataService> upNodes) {
    }

    private Found find(Connection c, String backupId, String targetShareId) throws SQLException {
        Backup backup = repos.backups().find(c, backupId).orElse(null);
        String shareId = targetShareId != null || backup == null ? targetShareId : backup.shareId();
        Share target = shareId == null ? null : repos.shares().find(c, shareId).orElse(null);
        if (backup == null || target == null) {
            return new Found(backup, shareId, target, null, List.of()); // refused by the admission
        }
        Share own = backup.shareId().equals(target.id()) ? target : repos.shares().find(c, backup.shareId())
                .orElse(null);
        return new Found(backup, shareId, target, own == null ? null : own.protocol(), nodes.up(c));
    }

    /** Manila's whole restore; {@code targetShareId} null restores into the backup's own share. */
    public Accepted restore(RequestContext caller, String backupId, String targetShareId) {
        return restore(caller, backupId, new RestoreBody(targetShareId, null));
    }

    /** What {@code body} asks: its target (null: the backup's own share), and what to write. */
    public Accepted restore(RequestContext caller, String backupId, RestoreBody body) {
        String targetShareId = body.targetShareId();
        try {
            Found found = db.read(c -> find(c, backupId, targetShareId));
            Backup backup = found.backup();
            Share target = found.target();
            restores.admission(policies, caller, backupId, backup, found.targetId(), target).requireForApi();
            nodes.requireRestorable(found.upNodes(), found.backupProtocol(), target.protocol(),
                    !target.id().equals(backup.shareId()), backup.shareId());
            if (body.selective() || body.selection() != null && body.selection().deleteExtra()) {
                paths.requireHeld(caller, backup, body.selection().paths());
            }
            Job job = db.inTransaction(c -> restores.enqueue(c, outbox, backup, target, body.selection(), caller));
            outbox.committed();
            LOG.info("restore of backup {} into share {} accepted (job {}, {})", backup.id(), target.id(), job.id(),
                    body.selection() == null ? "whole" : body.selection().toJsonText());
            return new Accepted(backup.id(), target.id(), job.id());
        } catch (Refusal refusal) {
            throw ApiError.of(refusal);
        }
    }
}
