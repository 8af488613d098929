package dev.ferry.api.service;

import dev.ferry.api.db.OutboxRepository;
import dev.ferry.messages.RpcRequest;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Writes casts into the outbox inside the caller's transaction, and wakes the relay once that
 * transaction committed.
 */
public final class CastOutbox {
    private final OutboxRepository outbox;
    private final String exchange;
    private final Runnable wakeRelay;

    public CastOutbox(OutboxRepository outbox, String exchange, Runnable wakeRelay) {
        this.outbox = outbox;
        this.exchange = exchange;
        this.wakeRelay = wakeRelay;
    }

    public long add(Connection c, String routingKey, RpcRequest cast) throws SQLException {
        return outbox.add(c, exchange, routingKey, cast.toBytes(), cast.requestId());
    }

    /** Call after the transaction that added casts committed. */
    public void committed() {
        wakeRelay.run();
    }
}
