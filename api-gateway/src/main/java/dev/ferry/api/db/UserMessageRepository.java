package dev.ferry.api.db;

import dev.ferry.api.model.UserMessage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads and writes {@code user_messages}. */
public final class UserMessageRepository {
    private static final String COLUMNS = "id, project_id, request_id, resource_type, resource_id, action_id, "
            + "detail_id, message_level, created_at, expires_at, detail_text";

    /** A list query: one project's messages (all when projectId is null), optionally narrowed. */
    public record Filter(String projectId, String resourceId, String resourceType, String actionId, String detailId,
                         String requestId, String messageLevel) {
        public static Filter all() {
            return new Filter(null, null, null, null, null, null, null);
        }
    }

    public void insert(Connection c, UserMessage m) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO user_messages (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, m.id());
            ps.setString(2, m.projectId());
            ps.setString(3, m.requestId());
            ps.setString(4, m.resourceType());
            ps.setString(5, m.resourceId());
            ps.setString(6, m.actionId());
            ps.setString(7, m.detailId());
            ps.setString(8, m.messageLevel());
            ps.setObject(9, m.createdAt());
            ps.setObject(10, m.expiresAt());
            ps.setString(11, m.detailText());
            ps.executeUpdate();
        }
    }

    public Optional<UserMessage> find(Connection c, String id) throws SQLException {
        if (!Ids.plausible(id)) {
            return Optional.empty();
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM user_messages WHERE id = ?")) {
            ps.setString(1, id);
            List<UserMessage> found = read(ps);
            return found.stream().findFirst();
        }
    }

    /** Columns a message list may sort by (Manila's message sort keys). */
    public static final List<String> SORT_KEYS = List.of("id", "project_id", "request_id", "resource_type",
            "action_id", "detail_id", "resource_id", "message_level", "expires_at", "created_at");

    /** Every matching message, newest first, expired ones included. */
    public List<UserMessage> list(Connection c, Filter filter) throws SQLException {
        return list(c, filter, Page.newestFirst(), null);
    }

    /** The matching messages that have not expired at {@code now} (null: include expired ones), one page. */
    public List<UserMessage> list(Connection c, Filter filter, Page page, LocalDateTime now) throws SQLException {
        return list(c, filter, page, now, null);
    }

    /**
     * As {@link #list(Connection, Filter, Page, LocalDateTime)}, and with {@code after} (a marker) only the messages
     * that come after it in the page's order (ties by id). A missing request_id sorts as ''.
     */
    public List<UserMessage> list(Connection c, Filter filter, Page page, LocalDateTime now, UserMessage after)
            throws SQLException {
        if (!SORT_KEYS.contains(page.sortColumn())) {
            throw new IllegalArgumentException("messages cannot be sorted by '" + page.sortColumn() + "'");
        }
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM user_messages WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        addEquals(sql, args, "project_id", filter.projectId());
        addEquals(sql, args, "resource_id", filter.resourceId());
        addEquals(sql, args, "resource_type", filter.resourceType());
        addEquals(sql, args, "action_id", filter.actionId());
        addEquals(sql, args, "detail_id", filter.detailId());
        addEquals(sql, args, "request_id", filter.requestId());
        addEquals(sql, args, "message_level", filter.messageLevel());
        if (now != null) {
            sql.append(" AND expires_at > ?");
            args.add(now);
        }
        String column = page.sortColumn();
        String sortExpression = column.equals("request_id") ? "COALESCE(request_id, '')" : column;
        if (after != null) {
            page.appendAfter(sql, args, sortExpression, sortValue(after, column), after.id());
        }
        sql.append(page.clauses(sortExpression));
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            return read(ps);
        }
    }

    private static Object sortValue(UserMessage m, String column) {
        Object value = switch (column) {
            case "id" -> m.id();
            case "project_id" -> m.projectId();
            case "request_id" -> m.requestId();
            case "resource_type" -> m.resourceType();
            case "action_id" -> m.actionId();
            case "detail_id" -> m.detailId();
            case "resource_id" -> m.resourceId();
            case "message_level" -> m.messageLevel();
            case "expires_at" -> m.expiresAt();
            case "created_at" -> m.createdAt();
            default -> throw new IllegalArgumentException("messages cannot be sorted by '" + column + "'");
        };
        return value == null ? "" : value;
    }

    public boolean delete(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM user_messages WHERE id = ?")) {
            ps.setString(1, id);
            return ps.executeUpdate() == 1;
        }
    }

    /** Deletes up to {@code limit} messages that expired by {@code now}; returns how many. */
    public int purgeExpired(Connection c, LocalDateTime now, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM user_messages WHERE id IN (SELECT id FROM "
                + "user_messages WHERE expires_at <= ? LIMIT " + limit + ")")) {
            ps.setObject(1, now);
            return ps.executeUpdate();
        }
    }

    private static void addEquals(StringBuilder sql, List<Object> args, String column, String value) {
        if (value != null) {
            sql.append(" AND ").append(column).append(" = ?");
            args.add(value);
        }
    }

    private static List<UserMessage> read(PreparedStatement ps) throws SQLException {
        List<UserMessage> messages = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                messages.add(new UserMessage(rs.getString("id"), rs.getString("project_id"), rs.getString("request_id"),
                        rs.getString("resource_type"), rs.getString("resource_id"), rs.getString("action_id"),
                        rs.getString("detail_id"), rs.getString("message_level"), Timestamps.read(rs, "created_at"),
                        Timestamps.read(rs, "expires_at"), rs.getString("detail_text")));
            }
        }
        return messages;
    }
}
