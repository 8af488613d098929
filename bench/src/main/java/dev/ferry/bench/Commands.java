package dev.ferry.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the system's commands for the benchmarks (cp, rsync, sync, rabbitmqctl, psql), failing with their output. */
final class Commands {

    private Commands() {
    }

    /** Runs {@code command}, waits up to ten minutes and answers its output; fails when it exits non-zero. */
    static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish within 10 minutes");
        }
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed with status " + process.exitValue() + ": "
                    + output.strip());
        }
        return output;
    }

    static String run(String... command) throws IOException, InterruptedException {
        return run(List.of(command));
    }
}
