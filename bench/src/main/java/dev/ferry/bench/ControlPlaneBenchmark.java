package dev.ferry.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Ferry's control plane, measured in one run ({@code bench/control-plane}): an api-gateway on PostgreSQL with its
 * outbox relay, data nodes whose driver copies nothing ({@link NoopDataManager}), and RabbitMQ's PerfTest on the
 * same broker as the ceiling. The phases, in order:
 * <ol>
 *   <li>a warm-up batch of restores through one data node (not measured);</li>
 *   <li>job throughput with 1 data node: a batch of restores posted at once, from the first POST to the last job
 *       succeeded; then POST-to-claimed latency on the idle system (one restore at a time, from sending the POST to
 *       the claim's {@code started_at}); then the same batch with 2 and with 4 data nodes;</li>
 *   <li>the data nodes stopped, a warm-up batch of restore requests (not measured), then accepted restores per
 *       second and their latency under the load generator ({@link RestoreLoad}), and the outbox relay's dispatch
 *       rate over the casts those restores made;</li>
 *   <li>the outbox relay's capacity: copies of those casts (as many as requests, at least 5,000) written unsent
 *       at once, and the rate at which the relay drains that backlog to the broker;</li>
 *   <li>PerfTest's ceiling ({@link PerfTestCeiling}).</li>
 * </ol>
 * Each restore is of a backup of its own into its own share (seeded into the database), so no request waits on
 * another's. Arguments: {@code --perftest-classpath FILE --ferry-jar JAR --classes DIR [--short] [--workers N]
 * [--requests N] [--jobs N] [--idle N]}.
 */
public final class ControlPlaneBenchmark {
    private static final List<Integer> NODES = List.of(1, 2, 4);
    private static final Duration POLL = Duration.ofMillis(5);
    private static final Duration JOBS_TIMEOUT = Duration.ofMinutes(10);
    /**
     * Restore requests sent, unmeasured, before the measured ones (at most as many): the api-gateway's JIT compiles
     * the request path meanwhile, which otherwise takes a third of its CPU in a short run.
     */
    private static final int REQUEST_WARM_UP = 5_000;
    /** The outbox relay's backlog is as many casts as restore requests, and at least this many (ten batches). */
    private static final int SMALLEST_BACKLOG = 5_000;

    private final Settings settings;
    private final List<String> table = new ArrayList<>();
    /** Restore requests not accepted in the whole run, and the first of them (null: none). */
    private int refusals;
    private String firstRefusal;

    /** What one run does: how many requests, jobs and idle restores, with how many load workers. */
    record Settings(boolean shortRun, int workers, int requests, int jobs, int idle, int perfTestSeconds,
                    String perfTestClasspath, Path jar, Path classes) {
    }

    private ControlPlaneBenchmark(Settings settings) {
        this.settings = settings;
    }

    public static void main(String[] args) throws Exception {
        boolean shortRun = false;
        Integer workers = null;
        Integer requests = null;
        Integer jobs = null;
        Integer idle = null;
        Path classpathFile = null;
        Path jar = null;
        Path classes = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--short" -> shortRun = true;
                case "--workers" -> workers = positive(args, ++i, "--workers");
                case "--requests" -> requests = positive(args, ++i, "--requests");
                case "--jobs" -> jobs = positive(args, ++i, "--jobs");
                case "--idle" -> idle = positive(args, ++i, "--idle");
                case "--perftest-classpath" -> classpathFile = Path.of(value(args, ++i, "--perftest-classpath"));
                case "--ferry-jar" -> jar = Path.of(value(args, ++i, "--ferry-jar"));
                case "--classes" -> classes = Path.of(value(args, ++i, "--classes"));
                default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'; expected [--short] "
                        + "[--workers N] [--requests N] [--jobs N] [--idle N] (bench/control-plane passes the rest)");
            }
        }
        if (classpathFile == null || jar == null || classes == null) {
            throw new IllegalArgumentException("--perftest-classpath, --ferry-jar and --classes are needed: run "
                    + "bench/control-plane, which resolves and passes them");
        }
        Settings settings = new Settings(shortRun, workers != null ? workers : 16,
                requests != null ? requests : shortRun ? 3_000 : 20_000, jobs != null ? jobs : shortRun ? 150 : 1_000,
                idle != null ? idle : shortRun ? 40 : 200, shortRun ? 5 : 20,
                Files.readString(classpathFile).strip(), jar, classes);
        Path work = Files.createTempDirectory("ferry-bench-control-plane-");
        boolean done = false;
        try {
            new ControlPlaneBenchmark(settings).run(work);
            done = true;
        } finally {
            if (done) {
                Commands.run("rm", "-rf", "--one-file-system", work.toString());
            } else {
                System.err.println("control-plane: the processes' logs are kept in " + work);
            }
        }
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }

    private static int positive(String[] args, int index, String option) {
        int value = Integer.parseInt(value(args, index, option));
        if (value < 1) {
            throw new IllegalArgumentException(option + " must be at least 1, was " + value);
        }
        return value;
    }

    private void run(Path work) throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        int warmUp = settings.jobs();
        int warmUpRequests = Math.min(settings.requests(), REQUEST_WARM_UP);
        List<Double> jobsPerSecond = new ArrayList<>();
        RestoreLoad.Result accepted;
        double dispatch;
        double relay;
        double apiPerRequest;
        double loadPerRequest;
        double apiPerJob = 0;
        double nodePerJob = 0;
        long[] idleMicros;
        int castBytes;
        try (ControlPlaneFerry ferry = ControlPlaneFerry.start(settings.jar(), settings.classes(), work)) {
            List<String> backups = ferry.seedBackups(warmUp + NODES.size() * settings.jobs() + settings.idle()
                    + warmUpRequests + settings.requests());
            Batches batches = new Batches(backups);
            RestoreLoad load = new RestoreLoad(ferry.baseUri(), settings.workers());
            ferry.runNodes(1);
            progress("warm-up: %,d restores through 1 data node", warmUp);
            jobBatch(ferry, load, batches.next(warmUp));
            idleMicros = null;
            for (int nodes : NODES) {
                ferry.runNodes(nodes);
                Duration apiBefore = ferry.apiCpu();
                Duration nodesBefore = ferry.nodesCpu();
                double rate = jobBatch(ferry, load, batches.next(settings.jobs()));
                if (nodes == 1) {
                    apiPerJob = millisEach(ferry.apiCpu().minus(apiBefore), settings.jobs());
                    nodePerJob = millisEach(ferry.nodesCpu().minus(nodesBefore), settings.jobs());
                }
                progress("%d data node%s: %.1f jobs/s", nodes, nodes == 1 ? "" : "s", rate);
                jobsPerSecond.add(rate);
                if (nodes == 1) {
                    idleMicros = postToClaimed(ferry, load, batches.next(settings.idle()));
                }
            }
            ferry.stopNodes();
            castBytes = ferry.averageCastBytes();
            progress("warm-up: %,d restore requests by %d workers, no data node running", warmUpRequests,
                    settings.workers());
            note(load.run(batches.next(warmUpRequests)));
            progress("restore requests: %,d by %d workers, no data node running", settings.requests(),
                    settings.workers());
            long lastCast = ferry.lastOutboxId();
            Duration apiBefore = ferry.apiCpu();
            Duration loadBefore = ownCpu();
            accepted = load.run(batches.next(settings.requests()));
            note(accepted);
            apiPerRequest = millisEach(ferry.apiCpu().minus(apiBefore), settings.requests());
            loadPerRequest = millisEach(ownCpu().minus(loadBefore), settings.requests());
            dispatch = awaitDispatch(ferry, lastCast, accepted.accepted().size());
            int backlog = Math.max(settings.requests(), SMALLEST_BACKLOG);
            progress("outbox relay: a backlog of %,d casts", backlog);
            long backlogAfter = ferry.addBacklog(lastCast, accepted.accepted().size(), backlog);
            relay = awaitDrained(ferry, backlogAfter, backlog);
        }
        progress("PerfTest: %d s", settings.perfTestSeconds());
        double ceiling = new PerfTestCeiling(settings.perfTestClasspath(), work.resolve("perftest.log"))
                .measure(settings.perfTestSeconds(), castBytes, true);
        report(cores, jobsPerSecond, accepted, dispatch, relay, idleMicros, castBytes, ceiling,
                new double[] {apiPerRequest, loadPerRequest, apiPerJob, nodePerJob});
    }

    /**
     * Posts every restore of {@code backups} at once and waits until the jobs of those accepted succeeded; answers
     * jobs/s, and adds the refused requests to {@link #refusals}.
     */
    private double jobBatch(ControlPlaneFerry ferry, RestoreLoad load, List<String> backups) throws Exception {
        long start = System.nanoTime();
        LocalDateTime since = utcNowWithMargin();
        RestoreLoad.Result posted = load.run(backups);
        note(posted);
        awaitSucceeded(ferry, posted.accepted(), since);
        return posted.accepted().size() / ((System.nanoTime() - start) / 1e9);
    }

    private void note(RestoreLoad.Result posted) {
        refusals += posted.refused();
        if (firstRefusal == null) {
            firstRefusal = posted.firstRefusal();
        }
    }

    /** Now in UTC, as the api-gateway writes its timestamps, less a second: a lower bound on rows written later. */
    private static LocalDateTime utcNowWithMargin() {
        return LocalDateTime.now(ZoneOffset.UTC).minusSeconds(1);
    }

    /** Waits until the jobs of {@code backups} (requested at or after {@code since}) have all succeeded. */
    private static void awaitSucceeded(ControlPlaneFerry ferry, List<String> backups, LocalDateTime since)
            throws Exception {
        long deadline = System.nanoTime() + JOBS_TIMEOUT.toNanos();
        ControlPlaneFerry.JobCounts counts;
        while ((counts = ferry.jobCounts(backups, since)).succeeded() < backups.size()) {
            long failed = counts.failed();
            if (failed > 0) {
                throw new IllegalStateException(failed + " of " + backups.size() + " restore jobs failed; the data "
                        + "nodes' logs say why");
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the restore jobs did not all succeed within " + JOBS_TIMEOUT);
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    /**
     * One restore at a time on an otherwise idle system: from just before the POST is sent to the claim's
     * {@code started_at} (both on this machine's clock), then waits for the job to end; answers microseconds.
     */
    private long[] postToClaimed(ControlPlaneFerry ferry, RestoreLoad load, List<String> backups)
            throws Exception {
        long[] micros = new long[backups.size()];
        for (int i = 0; i < backups.size(); i++) {
            String backup = backups.get(i);
            LocalDateTime since = utcNowWithMargin();
            Instant sent = Instant.now();
            try {
                load.restore(backup);
            } catch (RestoreLoad.RefusedException e) {
                refusals++;
                firstRefusal = firstRefusal == null ? e.getMessage() : firstRefusal;
                micros[i] = -1;
                continue;
            }
            long claimed;
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while ((claimed = ferry.claimedAtMicros(backup, since)) < 0) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the restore of backup " + backup + " was not claimed in a minute");
                }
                Thread.sleep(1);
            }
            micros[i] = claimed - ChronoUnit.MICROS.between(Instant.EPOCH, sent);
            awaitSucceeded(ferry, List.of(backup), since);
        }
        return micros;
    }

    private static double awaitDispatch(ControlPlaneFerry ferry, long lastCast, int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        double rate;
        while ((rate = ferry.castsPerSecond(lastCast, count)) < 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the outbox relay did not send the " + count + " casts in 2 minutes");
            }
            Thread.sleep(20);
        }
        return rate;
    }

    private static double awaitDrained(ControlPlaneFerry ferry, long afterId, int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        double rate;
        while ((rate = ferry.drainedPerSecond(afterId, count)) < 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the outbox relay did not drain a backlog of " + count
                        + " casts in 2 minutes");
            }
            Thread.sleep(20);
        }
        return rate;
    }

    private void report(int cores, List<Double> jobsPerSecond, RestoreLoad.Result accepted, double dispatch,
                        double relay, long[] idleMicros, int castBytes, double ceiling, double[] cpuMillis) {
        long[] latencies = accepted.latencies().clone();
        Arrays.sort(latencies);
        double p50 = percentile(latencies, 50) / 1e6;
        double p99 = percentile(latencies, 99) / 1e6;
        long[] idle = Arrays.stream(idleMicros).filter(micros -> micros >= 0).sorted().toArray();
        if (idle.length == 0) {
            throw new IllegalStateException("no idle restore was accepted; the first answer: " + firstRefusal);
        }
        double idle50 = percentile(idle, 50) / 1e3;
        double idle99 = percentile(idle, 99) / 1e3;

        System.out.printf(Locale.ROOT, "%nbench/control-plane%s: api-gateway (PostgreSQL, outbox relay), data nodes "
                        + "with a driver that copies nothing (2 job slots each), RabbitMQ and the load generator on one "
                        + "machine of %d cores%n", settings.shortRun() ? " --short" : "", cores);
        System.out.printf(Locale.ROOT, "load generator: JDK HttpClient, %d concurrent workers (closed loop) on "
                + "127.0.0.1; %,d restore requests after %,d unmeasured; %,d jobs per data-node count; %,d idle "
                + "restores%n", settings.workers(), settings.requests(), Math.min(settings.requests(), REQUEST_WARM_UP),
                settings.jobs(), settings.idle());
        row("figure", "unit", "measured", "goal", "ratio", "");
        row("restore POSTs accepted (202)", "requests/s", fmt(accepted.perSecond()), ">= 1,000",
                ratio(accepted.perSecond() / 1000), met(accepted.perSecond() >= 1000));
        row("restore POST latency", "p50 ms", fmt(p50), "", "", "");
        row("restore POST latency", "p99 ms", fmt(p99), "< 25", ratio(p99 / 25), met(p99 < 25));
        // the scaling goal: N data nodes (N up to the cores) finish at least 0.8 x N times the jobs/s of one node
        double single = jobsPerSecond.get(NODES.indexOf(1));
        for (int i = 0; i < NODES.size(); i++) {
            int nodes = NODES.get(i);
            double goal = 0.8 * nodes * single;
            boolean judged = nodes > 1 && nodes <= cores;
            String because = nodes == 1 ? "(the base)" : "(" + nodes + " > cores)";
            row("jobs end to end, " + nodes + " data node" + (nodes == 1 ? "" : "s"), "jobs/s",
                    fmt(jobsPerSecond.get(i)), judged ? ">= " + fmt(goal) : because,
                    judged ? ratio(jobsPerSecond.get(i) / goal) : "", judged ? met(jobsPerSecond.get(i) >= goal) : "");
        }
        row("PerfTest ceiling, " + castBytes + " B messages", "msg/s", fmt(ceiling), "", "", "");
        row("outbox dispatch under the request load", "casts/s", fmt(dispatch), "", "", "");
        row("outbox relay draining a backlog", "casts/s", fmt(relay), ">= " + fmt(ceiling / 2),
                ratio(relay / (ceiling / 2)), met(relay >= ceiling / 2));
        row("POST to claimed, idle, 1 data node", "p50 ms", fmt(idle50), "", "", "");
        row("POST to claimed, idle, 1 data node", "p99 ms", fmt(idle99), "< 50", ratio(idle99 / 50), met(idle99 < 50));
        row("api-gateway CPU per restore request", "ms", fmt2(cpuMillis[0]), "", "", "");
        row("load generator CPU per restore request", "ms", fmt2(cpuMillis[1]), "", "", "");
        row("api-gateway CPU per job, request incl., 1 node", "ms", fmt2(cpuMillis[2]), "", "", "");
        row("data node CPU per job, 1 data node", "ms", fmt2(cpuMillis[3]), "", "", "");
        row("restore requests not accepted, whole run", "requests", String.valueOf(refusals), "0", "",
                met(refusals == 0));
        table.forEach(System.out::println);
        if (firstRefusal != null) {
            System.out.println("first request not accepted: " + firstRefusal);
        }
        System.out.println("ratio: measured / goal (for latencies, under 1 is met); jobs: the goal for N nodes is 0.8 x N x "
                + "the jobs/s of 1 node; each batch posted at once, "
                + "from the first POST to the last job succeeded;");
        System.out.println("outbox dispatch: the restore requests' casts, from the first accepted to the last "
                + "confirmed by the broker and marked sent (bounded by the requests' rate);");
        System.out.println("outbox relay draining a backlog: copies of those casts (as many as requests, at least "
                + SMALLEST_BACKLOG + ") written unsent in one transaction, from the relay's first batch marked sent to "
                + "its last (the relay's own capacity);");
        System.out.println("CPU: the process's user and system time over the phase (the 1-node job batch; the restore "
                + "requests), divided by its jobs or requests; less sensitive than rates to what else the machine runs;");
        System.out.printf(Locale.ROOT, "PerfTest: 1 producer, 1 consumer, durable quorum queue, persistent messages, "
                + "publisher confirms (%d outstanding), %d s%n", PerfTestCeiling.UNCONFIRMED, settings.perfTestSeconds());
    }

    private void row(String figure, String unit, String measured, String goal, String ratio, String verdict) {
        table.add(String.format(Locale.ROOT, "%-46s %-11s %10s %12s %7s %s", figure, unit, measured, goal, ratio,
                verdict).stripTrailing());
    }

    private static String fmt(double value) {
        return String.format(Locale.ROOT, value >= 100 ? "%,.0f" : "%.1f", value);
    }

    private static String fmt2(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    /** The CPU time this process (the load generator and the benchmark's own polls) has used so far. */
    private static Duration ownCpu() {
        return ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO);
    }

    /** {@code total} shared among {@code count}, in milliseconds. */
    private static double millisEach(Duration total, int count) {
        return total.toNanos() / 1e6 / count;
    }

    private static String ratio(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    private static String met(boolean met) {
        return met ? "met" : "NOT met";
    }

    /** The {@code p}-th percentile of sorted {@code values} (nearest rank). */
    private static long percentile(long[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    private static void progress(String format, Object... args) {
        System.err.printf(Locale.ROOT, "control-plane: " + format + "%n", args);
    }

    /** Hands out the seeded backups, each once. */
    private static final class Batches {
        private final List<String> backups;
        private int used;

        Batches(List<String> backups) {
            this.backups = backups;
        }

        List<String> next(int count) {
            List<String> batch = backups.subList(used, used + count);
            used += count;
            return batch;
        }
    }
}
