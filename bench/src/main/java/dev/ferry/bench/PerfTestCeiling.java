package dev.ferry.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The broker's own ceiling, measured by RabbitMQ's PerfTest ({@code com.rabbitmq.perf.PerfTest} on the classpath
 * that {@code bench/control-plane} resolved for com.rabbitmq:perf-test): one producer and one consumer on a vhost
 * and a durable queue of their own (a quorum queue when Ferry's are), persistent messages of Ferry's cast size,
 * publisher confirms with at most {@link #UNCONFIRMED} outstanding. Answers PerfTest's average sending rate.
 */
final class PerfTestCeiling {
    static final int UNCONFIRMED = 100;
    private static final Pattern SENT = Pattern.compile("sending rate avg: (\\d+) msg/s");

    private final String classpath;
    private final Path log;

    PerfTestCeiling(String classpath, Path log) {
        this.classpath = classpath;
        this.log = log;
    }

    /** Runs PerfTest for {@code seconds} with messages of {@code bytes}; answers messages per second. */
    double measure(int seconds, int bytes, boolean quorum) throws Exception {
        String vhost = "ferry-bench-perftest-" + Long.toHexString(System.nanoTime());
        Commands.run("rabbitmqctl", "-q", "add_vhost", vhost);
        try {
            Commands.run("rabbitmqctl", "-q", "set_permissions", "-p", vhost, "guest", ".*", ".*", ".*");
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classpath,
                    "com.rabbitmq.perf.PerfTest", "--uri", "amqp://guest:guest@127.0.0.1:5672/" + vhost,
                    "--producers", "1", "--consumers", "1", "--queue", "ferry-perftest", "--auto-delete", "false",
                    "--flag", "persistent", "--confirm", String.valueOf(UNCONFIRMED), "--size", String.valueOf(bytes),
                    "--time", String.valueOf(seconds)));
            if (quorum) {
                command.add("--quorum-queue");
            }
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                    .start();
            if (!process.waitFor(seconds + 60L, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("PerfTest did not finish within " + (seconds + 60) + " s; its output is in " + log);
            }
            String output = Files.readString(log);
            Matcher sent = SENT.matcher(output);
            if (process.exitValue() != 0 || !sent.find()) {
                throw new IOException(String.format(Locale.ROOT, "PerfTest exited with %d without a sending rate; "
                        + "its output:%n%s", process.exitValue(), output.length() > 3000
                        ? output.substring(output.length() - 3000) : output));
            }
            return Double.parseDouble(sent.group(1));
        } finally {
            Commands.run("rabbitmqctl", "-q", "delete_vhost", vhost);
        }
    }
}
