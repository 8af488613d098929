package dev.ferry.data;

import dev.ferry.drivers.BackupDriver;
import dev.ferry.drivers.ProgressListener;
import dev.ferry.drivers.SubdirShares;
import dev.ferry.messages.CopyCounters;
import dev.ferry.messages.FailureDetail;
import dev.ferry.messages.StateRpc.Grant;
import dev.ferry.messages.StatusRpc.Transition;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every job needs: its grant, the driver (and the {@code subdir} share folders, for share jobs), where
 * transitions go, and who runs it. A job speaks until
 * it reports its outcome or is silenced, because its lease was lost or the node drained and gives it back:
 * from then on nothing it reports is sent, since another node may run the job at a newer epoch. Its runner may
 * also report a failure in its place ({@link #failInsteadOfJob}: it stalled, or died of an error); what the job
 * reports afterwards is not sent either.
 */
public final class JobContext {
    private static final Logger LOG = LoggerFactory.getLogger(JobContext.class);
    private static final String NONE_NAMED = "(none named)";

    private enum Voice { SPEAKING, REPORTED, SILENCED }

    private final Grant grant;
    private final BackupDriver driver;
    private final SubdirShares shares;
    private final TransitionSink sink;
    private final String node;
    private final String requestId;
    private final Duration progressInterval;
    private final AtomicReference<Voice> voice = new AtomicReference<>(Voice.SPEAKING);
    private volatile String silencedBecause;
    private volatile String reportedBy = "the job";
    private volatile BooleanSupplier writeGate = () -> true;
    private final NodeMetrics metrics;

    /** A context without share folders: for nodes and tests that run backup jobs only. */
    public JobContext(Grant grant, BackupDriver driver, TransitionSink sink, String node, String requestId,
                      Duration progressInterval) {
        this(grant, driver, null, sink, node, requestId, progressInterval);
    }

    public JobContext(Grant grant, BackupDriver driver, SubdirShares shares, TransitionSink sink, String node,
                      String requestId, Duration progressInterval) {
        this(grant, driver, shares, sink, node, requestId, progressInterval, NodeMetrics.none());
    }

    /** As above, counting what the job copies and how it ends in {@code metrics}. */
    public JobContext(Grant grant, BackupDriver driver, SubdirShares shares, TransitionSink sink, String node,
                      String requestId, Duration progressInterval, NodeMetrics metrics) {
        this.metrics = metrics;
        this.grant = grant;
        this.driver = driver;
        this.shares = shares;
        this.sink = presentingSecret(sink, grant.secret());
        this.node = node;
        this.requestId = requestId;
        this.progressInterval = progressInterval;
    }

    /** Every transition of this job presents its grant's secret: the api-gateway drops those that do not. */
    private static TransitionSink presentingSecret(TransitionSink sink, String secret) {
        return (transition, requestId) -> sink.send(transition.withSecret(secret), requestId);
    }

    /** What {@link #beginWriting()} asks: the job's lease keeper, set before the job runs. */
    void announceWritingThrough(BooleanSupplier gate) {
        this.writeGate = gate;
    }

    /**
     * Called once before the job first writes into its target: the api-gateway records it (a cancel then knows the
     * target may hold partial data). False when the job is no longer this node's: it must write nothing.
     */
    public boolean beginWriting() {
        return writeGate.getAsBoolean();
    }

    public Grant grant() {
        return grant;
    }

    public BackupDriver driver() {
        return driver;
    }

    /** The {@code subdir} share folders; null when this context has none (share jobs then fail, saying so). */
    public SubdirShares shares() {
        return shares;
    }

    public String node() {
        return node;
    }

    public String requestId() {
        return requestId;
    }

    /** The backup's id for messages; {@code (none named)} when the grant names none. */
    String backupId() {
        return grant.backup() == null ? NONE_NAMED : grant.backup().id();
    }

    /** The target share's id for messages; {@code (none named)} when the grant names none. */
    String targetId() {
        return grant.target() == null ? NONE_NAMED : grant.target().id();
    }

    /** The source share's id for messages; {@code (none named)} when the grant names none. */
    String sourceId() {
        return grant.source() == null ? NONE_NAMED : grant.source().id();
    }

    ProgressListener progressListener() {
        TransitionSink whileSpeaking = (transition, id) -> {
            if (voice.get() == Voice.SPEAKING) {
                sink.send(transition, id);
            }
        };
        return new ThrottledProgress(whileSpeaking, grant.jobId(), grant.epoch(), node, requestId, progressInterval,
                Clock.systemUTC());
    }

    /** The progress listener of a job that copies files (a restore, a backup): its bytes and files are counted. */
    ProgressListener copyProgressListener() {
        return metrics.counting(progressListener());
    }

    void succeeded() {
        report(Transition.succeeded(grant.jobId(), grant.epoch(), node));
    }

    /**
     * Success of a copying job, with what it copied, and a notice for the user ({@code notice} and its specifics
     * {@code noticeReason}) when something was left out; {@code notice} null when none.
     */
    void succeeded(CopyCounters counters, FailureDetail notice, String noticeReason) {
        Transition success = Transition.succeeded(grant.jobId(), grant.epoch(), node).withCounters(counters);
        report(notice == null ? success : success.withNotice(notice, noticeReason));
    }

    /** A backup's creation succeeded; {@code manifestWritten}: the driver wrote its manifest complete. */
    void succeeded(boolean manifestWritten) {
        report(Transition.succeeded(grant.jobId(), grant.epoch(), node, manifestWritten));
    }

    void failed(FailureDetail detail, String reason, boolean targetTouched) {
        report(Transition.failed(grant.jobId(), grant.epoch(), node, detail, reason, targetTouched));
    }

    /** A failure of a copying job that knows what it copied before it ended. */
    void failed(FailureDetail detail, String reason, boolean targetTouched, CopyCounters counters) {
        report(Transition.failed(grant.jobId(), grant.epoch(), node, detail, reason, targetTouched)
                .withCounters(counters));
    }

    /**
     * Reports a failure in the job's place, when it cannot report one itself (it stalled, or died of an error):
     * sent only while the job still speaks, and whatever the job reports afterwards is not sent. True when sent;
     * false when the job had reported its outcome or was silenced already.
     */
    boolean failInsteadOfJob(FailureDetail detail, String reason, boolean targetTouched, String reporter) {
        Transition outcome = Transition.failed(grant.jobId(), grant.epoch(), node, detail, reason, targetTouched);
        if (!voice.compareAndSet(Voice.SPEAKING, Voice.REPORTED)) {
            return false;
        }
        reportedBy = reporter;
        metrics.jobEnded(grant.kind(), outcome.outcome().wire());
        sink.send(outcome, requestId);
        return true;
    }

    private void report(Transition outcome) {
        if (voice.compareAndSet(Voice.SPEAKING, Voice.REPORTED)) {
            metrics.jobEnded(grant.kind(), outcome.outcome().wire());
            sink.send(outcome, requestId);
        } else if (voice.get() == Voice.SILENCED) {
            LOG.info("job {} ended ({}); nothing sent, since {}", grant.jobId(), outcome.outcome().wire(),
                    silencedBecause);
        } else {
            LOG.info("job {} ended ({}); nothing sent, since {} had reported its outcome already", grant.jobId(),
                    outcome.outcome().wire(), reportedBy);
        }
    }

    /**
     * Stops every later transition of this job. False when the job already reported its outcome (which is
     * then being sent): it is no longer this node's to silence.
     */
    boolean silence(String because) {
        silencedBecause = because;
        return voice.compareAndSet(Voice.SPEAKING, Voice.SILENCED);
    }

    boolean silenced() {
        return voice.get() == Voice.SILENCED;
    }
}
