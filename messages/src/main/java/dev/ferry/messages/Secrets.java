package dev.ferry.messages;

/** How wire records that carry a secret show it in {@code toString} (and so in logs): never. */
final class Secrets {
    private Secrets() {
    }

    /** {@code null} when there is none, a fixed mask otherwise. */
    static String redacted(String secret) {
        return secret == null ? null : "<redacted>";
    }
}
