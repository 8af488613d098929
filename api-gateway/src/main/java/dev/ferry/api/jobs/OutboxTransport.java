package dev.ferry.api.jobs;

import dev.ferry.api.model.OutboxMessage;
import java.io.IOException;
import java.util.List;

/** Where the outbox relay hands casts: a batch at a time, answered with which of them the broker confirmed. */
public interface OutboxTransport extends AutoCloseable {
    /**
     * Publishes {@code casts} in order and waits (a few seconds at most) for the broker's confirms. Throws when none
     * could be published (the broker is away); otherwise says which were confirmed.
     */
    Confirms publish(List<OutboxMessage> casts) throws IOException;

    /**
     * Connects now if not connected, so that reconnecting after an outage (which may take the connection timeout)
     * happens before the relay locks a batch rather than while it holds one; throws when the broker is away.
     */
    default void connect() throws IOException {
    }

    /**
     * The casts of a batch the broker confirmed, in order, and, when that is not all of them, why not (nacked, not
     * confirmed in time); {@code problem} is null when all were.
     */
    record Confirms(List<OutboxMessage> confirmed, String problem) {
        public static Confirms all(List<OutboxMessage> casts) {
            return new Confirms(List.copyOf(casts), null);
        }
    }

    @Override
    void close();
}
