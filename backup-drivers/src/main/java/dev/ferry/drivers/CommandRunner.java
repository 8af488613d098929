package dev.ferry.drivers;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs an external command without a shell, with its output (stdout and stderr together) captured, and fails
 * with the command and its output when it exits non-zero or outlives the timeout.
 */
public final class CommandRunner {

    private static final Logger log = LoggerFactory.getLogger(CommandRunner.class);
    private static final int OUTPUT_LIMIT_CHARS = 4000;

    private final Duration timeout;

    public CommandRunner(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("command timeout must be positive, was " + timeout);
        }
        this.timeout = timeout;
    }

    /** Runs the command; returns its output. */
    public String run(List<String> command) throws CommandFailedException {
        return run(command, MountOptionsMask.NONE);
    }

    /**
     * Runs the command; returns its output. Failure messages (and the debug log) show the command and its output
     * through {@code mask}, so mount options never reach a job's reason.
     */
    String run(List<String> command, MountOptionsMask mask) throws CommandFailedException {
        String shown = mask.apply(String.join(" ", command));
        Path output = null;
        try {
            output = Files.createTempFile("ferry-command-", ".out");
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            boolean exited;
            try {
                exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new CommandFailedException("interrupted while running `" + shown + "`", e);
            }
            if (!exited) {
                process.destroyForcibly();
                throw new CommandFailedException("`" + shown + "` did not finish within " + timeout.toSeconds()
                        + " s and was killed; output: " + mask.apply(read(output))
                        + ". Check that the export's server is reachable", null);
            }
            String text = mask.apply(read(output));
            if (process.exitValue() != 0) {
                throw new CommandFailedException("`" + shown + "` exited with status " + process.exitValue()
                        + "; output: " + (text.isBlank() ? "(none)" : text), null);
            }
            log.debug("`{}` succeeded; output: {}", shown, text);
            return text;
        } catch (CommandFailedException e) {
            throw e;
        } catch (IOException e) {
            throw new CommandFailedException("cannot run `" + shown + "`: " + mask.apply(IoErrors.describe(e))
                    + ". Check that the program is installed and on the PATH", e);
        } finally {
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException e) {
                    log.debug("Could not remove the temporary output file {}: {}", output, e.toString());
                }
            }
        }
    }

    private static String read(Path output) throws IOException {
        String text = new String(Files.readAllBytes(output), Charset.defaultCharset()).strip();
        return text.length() > OUTPUT_LIMIT_CHARS ? text.substring(0, OUTPUT_LIMIT_CHARS) + "…" : text;
    }
}
