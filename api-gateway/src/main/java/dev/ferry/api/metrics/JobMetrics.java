package dev.ferry.api.metrics;

import dev.ferry.messages.JobKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;

/**
 * The api-gateway's job meters: {@code ferry_jobs_started_total{kind}} (a claim that opens an attempt),
 * {@code ferry_jobs_ended_total{kind,outcome}}, {@code ferry_job_duration_seconds{kind,outcome}} (claim to end)
 * {@code ferry_lease_expiries_total} and {@code ferry_jobs_redispatched_total{kind}} (a queued job cast again because
 * its cast was lost). Recorded after the transaction that made the change committed.
 */
public final class JobMetrics {
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
    public static final String CANCELLED = "cancelled";
    private final MeterRegistry registry;
    private final Counter leaseExpiries;

    public JobMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.leaseExpiries = Counter.builder("ferry.lease.expiries")
                .description("Job leases the reaper found expired").register(registry);
    }

    /** Records into nothing: for tests and callers that keep no metrics. */
    public static JobMetrics none() {
        return new JobMetrics(new CompositeMeterRegistry());
    }

    public void started(JobKind kind) {
        Counter.builder("ferry.jobs.started").description("Jobs claimed by a data node (each attempt)")
                .tag("kind", kind.wireName()).register(registry).increment();
    }

    /** A job ended with {@code outcome} ({@link #SUCCEEDED}, {@link #FAILED}, {@link #CANCELLED}); null: unknown. */
    public void ended(JobKind kind, String outcome, Duration sinceClaim) {
        Counter.builder("ferry.jobs.ended").description("Jobs ended, by kind and outcome")
                .tag("kind", kind.wireName()).tag("outcome", outcome).register(registry).increment();
        if (sinceClaim != null) {
            Timer.builder("ferry.job.duration").description("Time from a job's claim to its end")
                    .tag("kind", kind.wireName()).tag("outcome", outcome)
                    .publishPercentileHistogram().minimumExpectedValue(Duration.ofSeconds(1))
                    .maximumExpectedValue(Duration.ofDays(1))
                    .register(registry).record(sinceClaim.isNegative() ? Duration.ZERO : sinceClaim);
        }
    }

    /** A queued job of {@code kind} was cast again: its cast had been lost ({@code QueuedJobRedispatcher}). */
    public void redispatched(JobKind kind) {
        Counter.builder("ferry.jobs.redispatched").description("Queued jobs cast again because their cast was lost")
                .tag("kind", kind.wireName()).register(registry).increment();
    }

    public void leaseExpired() {
        leaseExpiries.increment();
    }
}
