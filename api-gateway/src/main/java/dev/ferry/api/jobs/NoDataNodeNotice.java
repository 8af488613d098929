package dev.ferry.api.jobs;

import dev.ferry.api.ServiceSettings;
import dev.ferry.api.db.DataAccessException;
import dev.ferry.api.db.Database;
import dev.ferry.api.db.Repositories;
import dev.ferry.api.db.Timestamps;
import dev.ferry.api.db.WaitingJobRepository;
import dev.ferry.api.db.WaitingJobRepository.WaitingJob;
import dev.ferry.api.jobs.kinds.JobKinds;
import dev.ferry.api.jobs.kinds.KindRules;
import dev.ferry.api.model.Backup;
import dev.ferry.api.model.Share;
import dev.ferry.api.model.UserMessageAction;
import dev.ferry.api.service.DataNodeCapabilities;
import dev.ferry.messages.FailureDetail;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells users whose jobs wait while no data node is up: every interval, when no data node is up, each job queued
 * for {@code FERRY_QUEUED_WARN_SECONDS} or longer gets one user message ({@link FailureDetail#NO_DATA_NODE_UP}) on
 * what the user asked for, as its kind says ({@link KindRules#aboutBackup()}): the target share of a restore, the
 * share of a share job, the backup of a backup's creation or deletion. Once per job (a conditional update marks it), so several replicas may look at once.
 */
public final class NoDataNodeNotice implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NoDataNodeNotice.class);
    private static final int BATCH = 100;
    private final Database db;
    private final Repositories repos;
    private final DataNodeCapabilities nodes;
    private final ServiceSettings settings;
    private final UserMessageRecorder messages;
    private final JobKinds kinds;
    private final WaitingJobRepository waiting = new WaitingJobRepository();
    private final ScheduledExecutorService timer;
    private volatile boolean failing;

    public NoDataNodeNotice(Repositories repos, DataNodeCapabilities nodes, ServiceSettings settings,
                            Duration messageTtl) {
        this(repos, nodes, settings, messageTtl, JobKinds.standard(repos));
    }

    /** {@code kinds}: what each kind's message is about. */
    public NoDataNodeNotice(Repositories repos, DataNodeCapabilities nodes, ServiceSettings settings,
                            Duration messageTtl, JobKinds kinds) {
        this.kinds = kinds;
        this.repos = repos;
        this.db = repos.database();
        this.nodes = nodes;
        this.settings = settings;
        this.messages = new UserMessageRecorder(repos.messages(), repos.clock(), messageTtl);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "ferry-no-data-node-notice");
            thread.setDaemon(true);
            return thread;
        });
    }

    public NoDataNodeNotice start() {
        long every = settings.queuedCheckInterval().toMillis();
        timer.scheduleWithFixedDelay(this::checkLogged, every, every, TimeUnit.MILLISECONDS);
        return this;
    }

    /** Gives the notice to every job that waited long enough, when no data node is up; returns how many. */
    public int checkOnce() {
        if (!nodes.up().isEmpty()) {
            return 0;
        }
        LocalDateTime before = Timestamps.now(repos.clock()).minus(settings.queuedWarnAfter());
        int told = 0;
        List<WaitingJob> jobs;
        do {
            jobs = db.read(c -> waiting.queuedSince(c, before, BATCH));
            int was = told;
            for (WaitingJob job : jobs) {
                if (db.inTransaction(c -> tell(c, job))) {
                    told++;
                }
            }
            if (told == was) {
                break; // another replica took this batch
            }
        } while (jobs.size() == BATCH);
        return told;
    }

    private boolean tell(Connection c, WaitingJob job) throws SQLException {
        if (!waiting.markNoticed(c, job.id())) {
            return false;
        }
        KindRules kind = kinds.of(job.kind());
        boolean aboutBackup = kind.aboutBackup();
        UserMessageAction action = kind.action();
        String resourceId = aboutBackup ? job.backupId() : job.shareId();
        String project = aboutBackup ? repos.backups().find(c, resourceId).map(Backup::projectId).orElse(null)
                : repos.shares().find(c, resourceId).map(Share::projectId).orElse(null);
        if (project == null) {
            return true; // what it is about is gone: nobody to tell
        }
        messages.record(c, action, FailureDetail.NO_DATA_NODE_UP,
                aboutBackup ? JobFailure.RESOURCE_SHARE_BACKUP : JobFailure.RESOURCE_SHARE, resourceId, project,
                job.requestId());
        LOG.warn("job {} ({}) has been queued for {} s or more and no data node is up; its user was told",
                job.id(), job.kind().wireName(), settings.queuedWarnAfter().toSeconds());
        return true;
    }

    private void checkLogged() {
        try {
            checkOnce();
            failing = false;
        } catch (DataAccessException e) {
            if (!failing) {
                failing = true;
                LOG.warn("cannot look for jobs waiting without a data node: the database is not reachable ({})",
                        e.getMessage());
            }
        } catch (RuntimeException e) {
            LOG.error("looking for jobs waiting without a data node failed; trying again later", e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
