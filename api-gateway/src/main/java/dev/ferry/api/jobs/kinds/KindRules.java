package dev.ferry.api.jobs.kinds;

import dev.ferry.api.model.Job;
import dev.ferry.api.model.UserMessageAction;
import dev.ferry.api.service.Policies;
import dev.ferry.messages.FailureDetail;
import dev.ferry.messages.JobKind;
import dev.ferry.messages.RequestContext;
import dev.ferry.messages.RpcRequest;
import dev.ferry.messages.StateRpc;
import dev.ferry.messages.StatusRpc;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * What one job kind means to the database, in one place: its admission (each type adds the checks and the start
 * the API's services call; {@link #adopt} runs the same checks for a cast that did not come through the API), what
 * its claim answers, what its progress, success, failure and cancel leave, and how it is cast again. The claim,
 * transition, requeue and stop machinery knows no kind: it looks the rules up in {@link JobKinds}. Every method
 * runs inside the caller's transaction, with the job's row locked where a job is given; every status change names
 * the status it expects, so one an admin already made is left as it is.
 */
public interface KindRules {
    JobKind kind();

    /** The action the user messages about a job of this kind name. */
    UserMessageAction action();

    /** Whether the user messages about a job of this kind go on its backup (else on its share). */
    boolean aboutBackup();

    /** Whether a {@code cancel} of the job's backup ends it: it reads the backup's data or makes it. */
    boolean endsWithBackupCancel();

    /**
     * A cast of this kind without a queued job, claimed by a data node (a real Manila/oslo client sent it): the API's
     * checks for the cast's context, then the API's status changes. Returns what the running job holds; throws a
     * {@link Refusal} ({@link CastForbidden} when the context may not ask for it).
     */
    Held adopt(Connection c, ForeignCast cast) throws SQLException;

    /** What the claim of {@code job} answers (its backup, source and target), without a secret. */
    StateRpc.Grant grant(Connection c, Job job, int leaseSeconds) throws SQLException;

    /** Records {@code percent} (0 to 100); false when what it is recorded on is no longer in the expected status. */
    boolean progress(Connection c, Job job, int percent) throws SQLException;

    /** The statuses a success leaves (the job itself is already finished). */
    void succeed(Connection c, Job job, String node) throws SQLException;

    /**
     * Where a notice about a job that succeeded goes (a user message that is not a failure, such as attributes the
     * target refused); null when the kind tells nobody.
     */
    default Notice successNotice(Connection c, Job job) throws SQLException {
        return null;
    }

    /**
     * The statuses a success reported by {@code transition} leaves, for kinds whose success carries more than the
     * node's name (a backup's {@code manifest_written}); returns an INFO user message to record (a verified backup is
     * sound), or null. By default {@link #succeed(Connection, Job, String)} and no message.
     */
    default InfoNotice succeed(Connection c, Job job, StatusRpc.Transition transition) throws SQLException {
        succeed(c, job, transition.node());
        return null;
    }

    /**
     * The statuses a failure leaves (the job itself is already failed with {@code reason}); {@code targetTouched}
     * says whether a restore may have written into its target. Returns where the user message goes.
     */
    Notice fail(Connection c, Job job, FailureDetail detail, String reason, boolean targetTouched)
            throws SQLException;

    /**
     * The statuses a cancel or fence leaves (the job itself is already cancelled); {@code mayHaveWritten} says
     * whether a node may have written. Returns where the user message goes, or null when the kind leaves none
     * (deletions and shrinks are only ever fenced by an admin who sets the status).
     */
    Notice cancel(Connection c, Job job, boolean mayHaveWritten, String reason) throws SQLException;

    /** The job's cast, rebuilt from the database for a re-dispatch; empty when what it needs is gone. */
    Optional<RpcRequest> recast(Connection c, Job job) throws SQLException;

    /** What a re-dispatch needs, as in "backup X no longer exists". */
    String needs(Job job);

    /** A cast that did not come through the API: its context (judged by {@code policies}) and what it names. */
    record ForeignCast(Policies policies, RequestContext caller, String backupId, String shareId) {
    }

    /** What an adopted job holds. */
    record Held(String backupId, String shareId) {
    }
}
