package dev.ferry.cli;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code FERRY_LOG_FORMAT}: {@code text} (the default, when unset) or {@code json}; logback.xml includes
 * {@code ferry-log-<format>.xml}. Checked before anything logs, since logback would otherwise drop every line of an unknown format.
 */
final class LogFormat {
    private static final Set<String> KNOWN = Set.of("text", "json");

    private LogFormat() {
    }

    /** What is wrong with the setting in {@code environment}, if anything. */
    static Optional<String> problem(Map<String, String> environment) {
        String format = environment.get("FERRY_LOG_FORMAT");
        if (format == null || KNOWN.contains(format)) {
            return Optional.empty();
        }
        return Optional.of("ferry: FERRY_LOG_FORMAT is '" + format + "'; set it to text (the default) or json");
    }
}
