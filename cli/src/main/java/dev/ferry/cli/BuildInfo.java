package dev.ferry.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;

/**
 * The version and the git commit this jar was built from, written into {@code build.properties} by the build
 * (the commit is empty for a build outside a git checkout).
 */
record BuildInfo(String version, String commit) {
    static BuildInfo load() {
        Properties properties = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read build.properties from the ferry jar", e);
        }
        return new BuildInfo(properties.getProperty("version", "unknown").strip(),
                properties.getProperty("commit", "").strip());
    }

    /** {@code ferry 0.1.0 (commit 2fae9dc3b815...)}, or {@code (commit unknown: built outside git)}. */
    String line() {
        return "ferry " + version + " (commit " + (commit.isEmpty() ? "unknown: built outside git" : commit) + ")";
    }

    /** What {@code ferry --version} prints. */
    static final class Provider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {load().line()};
        }
    }
}
