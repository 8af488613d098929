package dev.ferry.api.jobs.kinds;

import dev.ferry.api.db.Timestamps;
import dev.ferry.api.model.Backup;
import dev.ferry.api.model.BackupStatus;
import dev.ferry.api.model.Job;
import dev.ferry.api.model.Share;
import dev.ferry.api.service.Policies;
import dev.ferry.api.service.Policy;
import dev.ferry.api.service.Visibility;
import dev.ferry.messages.OsloTime;
import dev.ferry.messages.RequestContext;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The checks and small steps that more than one kind shares; each is written here once. */
final class Checks {
    private static final Logger LOG = LoggerFactory.getLogger(Checks.class);

    private Checks() {
    }

    /** The policy rule of the action allows the caller's roles: else 403 with webob's text, as Manila answers. */
    static Optional<Refusal> policy(Policies policies, Policy policy, RequestContext caller) {
        return policies.allows(policy, caller) ? Optional.empty()
                : Optional.of(new Refusal(Refusal.Ground.FORBIDDEN, 403, "Access was denied to this resource.",
                        "policy " + policy.rule() + " (\"" + policies.check(policy) + "\") refuses its roles "
                                + caller.roles()));
    }

    /** The backup exists and is the caller's project's (or the caller an admin's): else 404, as if it did not exist. */
    static Optional<Refusal> backupOf(RequestContext caller, String backupId, Backup backup) {
        String answer = "No backup exists with ID " + backupId + ".";
        if (backup == null) {
            return Optional.of(new Refusal(Refusal.Ground.GONE, 404, answer, "backup " + backupId + " does not exist"));
        }
        return Visibility.canSee(caller, backup) ? Optional.empty() : Optional.of(new Refusal(
                Refusal.Ground.FORBIDDEN, 404, answer, "backup " + backupId + " belongs to another project"));
    }

    /** A backup whose data is read (a restore, a share created from it) is available. */
    static Optional<Refusal> backupAvailable(Backup backup) {
        return backup.status() == BackupStatus.AVAILABLE ? Optional.empty()
                : Optional.of(backupNotAvailable(backup.id()));
    }

    static Refusal backupNotAvailable(String backupId) {
        return Refusal.invalid("Invalid backup: Backup " + backupId + " status must be available.");
    }

    /**
     * The share exists and the caller may write it: its project's, or the caller an admin (another project's public
     * share is visible, not writable). {@code unseenStatus} and {@code unseen} answer a share the caller cannot see
     * or that does not exist; {@code readOnly} one it sees but may not change (403).
     */
    static Optional<Refusal> writableShare(RequestContext caller, String shareId, Share share, int unseenStatus,
                                           String unseen, String readOnly) {
        if (share == null) {
            return Optional.of(new Refusal(Refusal.Ground.GONE, unseenStatus, unseen,
                    "Share " + shareId + " could not be found."));
        }
        String reason = "share " + shareId + " belongs to another project";
        if (!Visibility.canSee(caller, share)) {
            return Optional.of(new Refusal(Refusal.Ground.FORBIDDEN, unseenStatus, unseen, reason));
        }
        return Visibility.canWrite(caller, share) ? Optional.empty()
                : Optional.of(new Refusal(Refusal.Ground.FORBIDDEN, 403, readOnly, reason));
    }

    /** Ferry's share jobs start only from its API: a cast of one without a queued job is refused. */
    static Refusal onlyFromApi(String kind, String shareId) {
        return Refusal.invalid("share " + shareId + " has no queued " + kind + " job: Ferry's share jobs start only "
                + "from its API");
    }

    /** The refusals that are present, in order. */
    @SafeVarargs
    static List<Refusal> present(Optional<Refusal>... checks) {
        return java.util.Arrays.stream(checks).flatMap(Optional::stream).toList();
    }

    /**
     * The context a re-dispatched cast carries: in the name of the owner of what the job is about, with the job's
     * original request id so the new holder's logs join the old.
     */
    static RequestContext ownerContext(Clock clock, String user, String project, Job job) {
        String requestId = job.requestId() != null ? job.requestId() : RequestContext.newRequestId();
        return new RequestContext(user, project, false, List.of(), requestId, null, null,
                OsloTime.format(Timestamps.now(clock)));
    }

    /** A status change that names the status it expects: one already changed (an admin's) is left as it is. */
    static void expect(boolean changed, String what, String id, String status) {
        if (!changed) {
            LOG.warn("{} {} was no longer {}; its status was left as it is", what, id, status);
        }
    }

    /** As {@link #expect}, for a job that was cancelled or fenced, where a status already moved is expected. */
    static void expectQuietly(boolean changed, String what, String id, String status) {
        if (!changed) {
            LOG.info("{} {} was no longer {}; its status was left as it is", what, id, status);
        }
    }

    /** The share's project, or null when it is gone. */
    static String projectOf(Share share) {
        return share == null ? null : share.projectId();
    }
}
