package dev.ferry.api;

import java.time.Duration;
import java.util.Map;

/**
 * How the api-gateway judges its data nodes and the jobs waiting for them. {@code downAfter}
 * ({@code FERRY_SERVICE_DOWN_SECONDS}, Manila's {@code service_down_time}): a node whose last report is older is
 * {@code down}; {@code queuedWarnAfter} ({@code FERRY_QUEUED_WARN_SECONDS}): a job queued this long while no data
 * node is up gets a user message; {@code redispatchAfter} ({@code FERRY_JOB_REDISPATCH_SECONDS}): a job still queued
 * this long after its cast was sent, while data nodes consume its queue and it holds nothing ready, is cast again
 * (its cast was lost; {@link dev.ferry.api.jobs.QueuedJobRedispatcher}); zero: never.
 */
public record ServiceSettings(Duration downAfter, Duration queuedWarnAfter, Duration redispatchAfter) {
    public static final int DEFAULT_DOWN_SECONDS = 60;
    public static final int DEFAULT_QUEUED_WARN_SECONDS = 120;
    public static final int DEFAULT_REDISPATCH_SECONDS = 60;
    public static final ServiceSettings DEFAULTS = new ServiceSettings(Duration.ofSeconds(DEFAULT_DOWN_SECONDS),
            Duration.ofSeconds(DEFAULT_QUEUED_WARN_SECONDS));
    private static final Duration LONGEST_REPORT_INTERVAL = Duration.ofSeconds(10);

    public ServiceSettings {
        if (downAfter.toSeconds() < 1) {
            throw new IllegalArgumentException("FERRY_SERVICE_DOWN_SECONDS is " + downAfter.toSeconds()
                    + "; it must be at least 1 (default " + DEFAULT_DOWN_SECONDS + ")");
        }
        if (queuedWarnAfter.toSeconds() < 1) {
            throw new IllegalArgumentException("FERRY_QUEUED_WARN_SECONDS is " + queuedWarnAfter.toSeconds()
                    + "; it must be at least 1 (default " + DEFAULT_QUEUED_WARN_SECONDS + ")");
        }
        if (redispatchAfter.isNegative()) {
            throw new IllegalArgumentException("FERRY_JOB_REDISPATCH_SECONDS is " + redispatchAfter.toSeconds()
                    + "; it must be 0 (never cast a queued job again) or more (default " + DEFAULT_REDISPATCH_SECONDS
                    + ")");
        }
    }

    /** With lost casts sent again after the default {@link #DEFAULT_REDISPATCH_SECONDS}. */
    public ServiceSettings(Duration downAfter, Duration queuedWarnAfter) {
        this(downAfter, queuedWarnAfter, Duration.ofSeconds(DEFAULT_REDISPATCH_SECONDS));
    }

    /**
     * From FERRY_SERVICE_DOWN_SECONDS, FERRY_QUEUED_WARN_SECONDS and FERRY_JOB_REDISPATCH_SECONDS (a Map, as
     * {@link ApiConfig#fromEnv}).
     */
    public static ServiceSettings fromEnv(Map<String, String> env) {
        return new ServiceSettings(Duration.ofSeconds(seconds(env, "FERRY_SERVICE_DOWN_SECONDS", DEFAULT_DOWN_SECONDS)),
                Duration.ofSeconds(seconds(env, "FERRY_QUEUED_WARN_SECONDS", DEFAULT_QUEUED_WARN_SECONDS)),
                Duration.ofSeconds(seconds(env, "FERRY_JOB_REDISPATCH_SECONDS", DEFAULT_REDISPATCH_SECONDS)));
    }

    /** How often data nodes report: six times per {@link #downAfter}, at most every 10 s. */
    public Duration reportInterval() {
        Duration sixth = downAfter.dividedBy(6);
        return sixth.compareTo(LONGEST_REPORT_INTERVAL) > 0 ? LONGEST_REPORT_INTERVAL : sixth;
    }

    /** How often queued jobs are looked at: four times per {@link #queuedWarnAfter}, at most every 10 s. */
    public Duration queuedCheckInterval() {
        Duration quarter = queuedWarnAfter.dividedBy(4);
        return quarter.compareTo(LONGEST_REPORT_INTERVAL) > 0 ? LONGEST_REPORT_INTERVAL : quarter;
    }

    private static long seconds(Map<String, String> env, String name, int fallback) {
        String text = env.get(name);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " is '" + text.trim() + "'; give a whole number of seconds, e.g. "
                    + fallback);
        }
    }
}
