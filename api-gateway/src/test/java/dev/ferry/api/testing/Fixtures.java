package dev.ferry.api.testing;

import dev.ferry.api.db.Database;
import dev.ferry.api.db.Repositories;
import dev.ferry.api.db.Timestamps;
import dev.ferry.api.model.Backup;
import dev.ferry.api.model.BackupStatus;
import dev.ferry.api.model.Job;
import dev.ferry.api.model.JobStatus;
import dev.ferry.api.model.Share;
import dev.ferry.api.model.ShareStatus;
import dev.ferry.api.model.UserMessage;
import dev.ferry.messages.JobKind;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.UUID;

/** Rows for tests, written through the real repositories. */
public final class Fixtures {
    private final Repositories repos;

    public Fixtures(Database db) {
        this(db, Clock.systemUTC());
    }

    /** Repositories (and rows) that take the time from {@code clock}. */
    public Fixtures(Database db, Clock clock) {
        this.repos = Repositories.over(db, clock);
    }

    public Repositories repos() {
        return repos;
    }

    public Share share(String project, int size, ShareStatus status) {
        return share(project, size, status, "NFS", false);
    }

    public Share share(String project, int size, ShareStatus status, String protocol, boolean isPublic) {
        return insert(project, size, status, protocol, isPublic, Share.MANAGED);
    }

    /** A share of the subdir backend: a folder named after its id under {@code /exports/base}. */
    public Share subdirShare(String project, int size, ShareStatus status) {
        return insert(project, size, status, "NFS", false, Share.SUBDIR);
    }

    private Share insert(String project, int size, ShareStatus status, String protocol, boolean isPublic,
                         String backend) {
        LocalDateTime now = Timestamps.now(repos.clock());
        String id = UUID.randomUUID().toString();
        String export = Share.SUBDIR.equals(backend) ? "/exports/base/" + id : "/exports/" + id;
        Share share = new Share(id, project, "user-of-" + project, "share-" + id.substring(0, 8), null, protocol, size,
                status, export, isPublic, null, now, now, backend);
        repos.database().inTransaction(c -> {
            repos.shares().insert(c, share);
            return null;
        });
        return share;
    }

    public Backup backup(Share of, int size, BackupStatus status) {
        LocalDateTime now = Timestamps.now(repos.clock());
        Backup backup = new Backup(UUID.randomUUID().toString(), of.projectId(), of.userId(), of.id(), size, status,
                "backup-of-" + of.name(), "a backup", "100", "0", null, null, "data-node-1", "manila-data", now, now);
        repos.database().inTransaction(c -> {
            repos.backups().insert(c, backup);
            return null;
        });
        return backup;
    }

    /** A backup whose data node wrote its manifest (made since Ferry records the contents of backups). */
    public Backup backupWithManifest(Share of, int size, BackupStatus status) {
        LocalDateTime now = Timestamps.now(repos.clock());
        Backup backup = new Backup(UUID.randomUUID().toString(), of.projectId(), of.userId(), of.id(), size, status,
                "backup-of-" + of.name(), "a backup", "100", "0", null, null, "data-node-1", "manila-data", now, now,
                true);
        repos.database().inTransaction(c -> {
            repos.backups().insert(c, backup);
            return null;
        });
        return backup;
    }

    /** A backup with the given name, description and size, created at {@code createdAt}. */
    public Backup backup(Share of, String name, String description, int size, BackupStatus status,
                         LocalDateTime createdAt) {
        Backup backup = new Backup(UUID.randomUUID().toString(), of.projectId(), of.userId(), of.id(), size, status,
                name, description, "100", "0", null, null, "data-node-1", "manila-data", createdAt, createdAt);
        repos.database().inTransaction(c -> {
            repos.backups().insert(c, backup);
            return null;
        });
        return backup;
    }

    /** An ERROR user message about a share, created at {@code createdAt}, expiring at {@code expiresAt}. */
    public UserMessage message(String project, String resourceId, String actionId, String detailId, String requestId,
                               LocalDateTime createdAt, LocalDateTime expiresAt) {
        UserMessage message = new UserMessage(UUID.randomUUID().toString(), project, requestId, "SHARE", resourceId,
                actionId, detailId, "ERROR", createdAt, expiresAt);
        repos.database().inTransaction(c -> {
            repos.messages().insert(c, message);
            return null;
        });
        return message;
    }

    /** A share job ({@code backup} may be null; {@code newSize} only for shrink_share). */
    public Job shareJob(JobKind kind, Backup backup, Share share, Integer newSize, JobStatus status, long epoch,
                        String node) {
        LocalDateTime now = Timestamps.now(repos.clock());
        Job job = new Job(UUID.randomUUID().toString(), kind, backup == null ? null : backup.id(), share.id(), status,
                epoch, node, "req-" + UUID.randomUUID(), null, null, null, now, now, newSize);
        repos.database().inTransaction(c -> {
            repos.jobs().insert(c, job);
            return null;
        });
        return job;
    }

    public Job job(JobKind kind, Backup backup, Share share, JobStatus status, long epoch, String node) {
        return job(kind, backup, share, status, epoch, node, null);
    }

    /** A job whose lease (when running) ends at {@code leaseExpiresAt}; null: no lease, as before leases. */
    public Job job(JobKind kind, Backup backup, Share share, JobStatus status, long epoch, String node,
                   LocalDateTime leaseExpiresAt) {
        LocalDateTime now = Timestamps.now(repos.clock());
        Job job = new Job(UUID.randomUUID().toString(), kind, backup.id(), share.id(), status, epoch, node,
                "req-" + UUID.randomUUID(), null, null, leaseExpiresAt, now, now);
        repos.database().inTransaction(c -> {
            repos.jobs().insert(c, job);
            return null;
        });
        return job;
    }

    public Share share(String id) {
        return repos.database().read(c -> repos.shares().find(c, id)).orElseThrow();
    }

    public Backup backup(String id) {
        return repos.database().read(c -> repos.backups().find(c, id)).orElseThrow();
    }

    public Job job(String id) {
        return repos.database().read(c -> repos.jobs().find(c, id)).orElseThrow();
    }
}
