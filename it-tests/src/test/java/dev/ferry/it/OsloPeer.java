package dev.ferry.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/** A real oslo.messaging peer: a Python script from src/test/resources/oslo run by Debian's python3. */
final class OsloPeer implements AutoCloseable {
    static final String PYTHON = Services.env("FERRY_IT_PYTHON", "/usr/bin/python3");
    private final Process process;
    private final Path output;

    private OsloPeer(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    static OsloPeer run(String script, Map<String, Object> args, Path workDir) throws IOException {
        Path scripts = Path.of("src/test/resources/oslo").toAbsolutePath();
        Path output = Files.createTempFile(workDir, "oslo-", ".log");
        ProcessBuilder builder = new ProcessBuilder(PYTHON, scripts.resolve(script).toString(),
                ApiClient.JSON.writeValueAsString(args)).directory(scripts.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("PYTHONPATH", scripts.toString());
        return new OsloPeer(builder.start(), output);
    }

    String output() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            return "";
        }
    }

    void awaitOutput(String text, Duration timeout) {
        Awaitility.await("oslo peer prints " + text).atMost(timeout).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    if (!process.isAlive() && !output().contains(text)) {
                        throw new AssertionError("oslo peer exited with " + process.exitValue() + ":\n" + output());
                    }
                    return output().contains(text);
                });
    }

    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("oslo peer still running after " + timeout + ":\n" + output());
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
