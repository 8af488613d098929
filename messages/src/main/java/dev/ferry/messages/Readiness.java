package dev.ferry.messages;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether a Ferry process can do its work now, and when not, what is missing ("database not reachable",
 * "broker connection closed"), as a management listener's {@code /readyz} answers it.
 */
public record Readiness(boolean ready, String reason) {
    public static final Readiness READY = new Readiness(true, "ready");

    public static Readiness notReady(String reason) {
        return new Readiness(false, reason);
    }

    /** Ready when every one of {@code parts} is; else not ready, naming everything that is missing. */
    public static Readiness allOf(List<Readiness> parts) {
        List<String> missing = new ArrayList<>();
        for (Readiness part : parts) {
            if (!part.ready()) {
                missing.add(part.reason());
            }
        }
        return missing.isEmpty() ? READY : notReady(String.join("; ", missing));
    }
}
