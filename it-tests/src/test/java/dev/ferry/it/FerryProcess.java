package dev.ferry.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * One real Ferry process ({@code java -jar ferry.jar <command>}; {@code ferry-dev.jar} for {@code dev}), its
 * output in a log file under target/it-logs, stopped by its PID.
 */
final class FerryProcess implements AutoCloseable {
    static final Path JAR = Path.of(System.getProperty("ferry.jar", "../cli/target/ferry.jar")).toAbsolutePath();
    /** The development jar: {@code ferry dev} and its embedded broker, which the production jar does not carry. */
    static final Path DEV_JAR = Path.of(System.getProperty("ferry.dev.jar", "../dev/target/ferry-dev.jar"))
            .toAbsolutePath();
    static final Path LOGS = Path.of("target", "it-logs").toAbsolutePath();
    private final String name;
    private final Process process;
    private final Path log;

    private FerryProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    static FerryProcess start(String name, Path workDir, Map<String, String> env, String... command)
            throws IOException {
        Files.createDirectories(LOGS);
        Path log = LOGS.resolve(name + ".log");
        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        // as ./ferry does: FERRY_JAVA_OPTS are the JVM's options (here 512 MiB of heap unless a test says otherwise)
        argv.addAll(List.of(env.getOrDefault("FERRY_JAVA_OPTS", "-Xmx512m").strip().split("\\s+")));
        argv.addAll(List.of("-jar", (command.length > 0 && command[0].equals("dev") ? DEV_JAR : JAR).toString()));
        argv.addAll(List.of(command));
        ProcessBuilder builder = new ProcessBuilder(argv).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(key -> key.startsWith("FERRY_"));
        builder.environment().putAll(env);
        // a test's processes never take the management ports a Ferry on this host uses by default
        builder.environment().putIfAbsent("FERRY_MANAGEMENT_BIND", "127.0.0.1:0");
        return new FerryProcess(name, builder.start(), log);
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** Waits until the log shows {@code text}; fails with the log's tail when the process died. */
    void awaitLog(String text, Duration timeout) {
        Awaitility.await(name + " logs '" + text + "'").atMost(timeout).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new AssertionError(name + " exited with " + process.exitValue() + ":\n" + tail());
                    }
                    return log().contains(text);
                });
    }

    /** The management listener's base URL, as the process logged it ("management listener on http://..."). */
    String managementUrl(Duration timeout) {
        String marker = "management listener on ";
        awaitLog(marker, timeout);
        String text = log();
        int start = text.indexOf(marker) + marker.length();
        int end = start;
        while (end < text.length() && !Character.isWhitespace(text.charAt(end))) {
            end++;
        }
        return text.substring(start, end);
    }

    String tail() {
        String text = log();
        return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
    }

    /** For one-shot commands: waits for the exit and returns its code. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " still running after " + timeout + ":\n" + tail());
        }
        return process.exitValue();
    }

    /** kill -9: the process gets no chance to clean up. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, then waits; returns the exit code. */
    int stop(Duration grace) throws InterruptedException {
        if (!process.isAlive()) {
            return process.exitValue();
        }
        process.destroy();
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        stop(Duration.ofSeconds(30));
    }
}
