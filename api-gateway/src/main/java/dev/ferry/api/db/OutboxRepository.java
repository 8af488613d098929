package dev.ferry.api.db;

import dev.ferry.api.model.OutboxMessage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/** The transactional outbox: casts written with the state change that caused them, published later. */
public final class OutboxRepository {
    private static final String COLUMNS = "id, exchange, routing_key, body, request_id, created_at, sent_at";
    private final Clock clock;

    public OutboxRepository(Clock clock) {
        this.clock = clock;
    }

    /** Adds a cast; returns its id (ids grow in commit order within one writer). */
    public long add(Connection c, String exchange, String routingKey, byte[] body, String requestId)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO outbox (exchange, routing_key, body, request_id, "
                + "created_at) VALUES (?, ?, ?, ?, ?)", new String[] {"id"})) {
            ps.setString(1, exchange);
            ps.setString(2, routingKey);
            ps.setBytes(3, body);
            ps.setString(4, requestId);
            ps.setObject(5, Timestamps.now(clock));
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    /** The oldest unsent casts, in the order they were written. */
    public List<OutboxMessage> unsent(Connection c, int limit) throws SQLException {
        return query(c, "SELECT " + COLUMNS + " FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT " + limit);
    }

    /**
     * Like {@link #unsent}, but locks the rows it returns until the caller's transaction ends, passing over rows
     * another transaction holds ({@code FOR UPDATE SKIP LOCKED}, on PostgreSQL and H2): so that two relays on one
     * database never publish the same unsent rows at the same time. Call it inside a transaction.
     */
    public List<OutboxMessage> lockUnsent(Connection c, int limit) throws SQLException {
        return query(c, "SELECT " + COLUMNS + " FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT " + limit
                + " FOR UPDATE SKIP LOCKED");
    }

    /** How many casts wait to be sent, and when the oldest of them was written (null when none waits). */
    public record Backlog(long pending, java.time.LocalDateTime oldestCreatedAt) {
    }

    public Backlog backlog(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT COUNT(*) AS pending, MIN(created_at) AS oldest FROM outbox WHERE sent_at IS NULL");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return new Backlog(rs.getLong("pending"), Timestamps.read(rs, "oldest"));
        }
    }

    /** Every cast written for one request, oldest first. */
    public List<OutboxMessage> forRequest(Connection c, String requestId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM outbox WHERE request_id = ? ORDER BY id")) {
            ps.setString(1, requestId);
            return read(ps);
        }
    }

    public boolean markSent(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE outbox SET sent_at = ? WHERE id = ? AND sent_at IS NULL")) {
            ps.setObject(1, Timestamps.now(clock));
            ps.setLong(2, id);
            return ps.executeUpdate() == 1;
        }
    }

    /** Marks the casts with these ids sent, in one statement; returns how many were unsent until now. */
    public int markSent(Connection c, Collection<Long> ids) throws SQLException {
        if (ids.isEmpty()) {
            return 0;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE outbox SET sent_at = ? WHERE sent_at IS NULL AND id IN ("
                + String.join(", ", Collections.nCopies(ids.size(), "?")) + ")")) {
            ps.setObject(1, Timestamps.now(clock));
            int parameter = 2;
            for (long id : ids) {
                ps.setLong(parameter++, id);
            }
            return ps.executeUpdate();
        }
    }

    /**
     * Deletes up to {@code limit} casts sent before {@code sentBefore} (unsent ones are never deleted); returns how
     * many.
     */
    public int deleteSentBefore(Connection c, LocalDateTime sentBefore, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM outbox WHERE id IN (SELECT id FROM outbox "
                + "WHERE sent_at < ? LIMIT " + limit + ")")) {
            ps.setObject(1, sentBefore);
            return ps.executeUpdate();
        }
    }

    private static List<OutboxMessage> query(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            return read(ps);
        }
    }

    private static List<OutboxMessage> read(PreparedStatement ps) throws SQLException {
        List<OutboxMessage> messages = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                messages.add(new OutboxMessage(rs.getLong("id"), rs.getString("exchange"), rs.getString("routing_key"),
                        rs.getBytes("body"), rs.getString("request_id"), Timestamps.read(rs, "created_at"),
                        Timestamps.read(rs, "sent_at")));
            }
        }
        return messages;
    }
}
