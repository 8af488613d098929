package dev.ferry.data;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How often this node returned a message to a classic queue, which (unlike a quorum queue's
 * {@code x-delivery-count}) counts nothing itself. A returned message keeps its bytes, so it is known by a digest
 * of its body. Bounded: the least recently returned messages are forgotten first. Each node counts its own
 * returns, so a message is parked after at most {@code FERRY_MAX_DELIVERIES} returns by one node.
 */
final class ReturnCounts {
    static final int CAPACITY = 10_000;
    private final Map<String, Integer> counts = new LinkedHashMap<>(256, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
            return size() > CAPACITY;
        }
    };

    synchronized int returns(byte[] body) {
        return counts.getOrDefault(key(body), 0);
    }

    /** Counts one more return; returns the count now. */
    synchronized int returned(byte[] body) {
        return counts.merge(key(body), 1, Integer::sum);
    }

    synchronized void forget(byte[] body) {
        counts.remove(key(body));
    }

    synchronized int size() {
        return counts.size();
    }

    private static String key(byte[] body) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(body == null ? "".getBytes(StandardCharsets.UTF_8) : body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
