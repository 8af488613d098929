package dev.ferry.api.jobs;

import java.io.IOException;

/** Where the outbox relay hands casts: returns once the broker confirmed, throws when it could not. */
public interface OutboxTransport extends AutoCloseable {
    void publish(String exchange, String routingKey, byte[] body) throws IOException;

    @Override
    void close();
}
