package dev.ferry.api.db;

import dev.ferry.api.model.Share;
import dev.ferry.api.model.ShareStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads and writes {@code shares}; every status change names the status it expects. */
public final class ShareRepository {
    private static final String COLUMNS = "id, project_id, user_id, name, description, share_proto, size, status, "
            + "export_path, is_public, source_backup_id, created_at, updated_at, backend, progress, share_type_id";
    /** What a read selects: the columns and the name of the share's type. */
    private static final String SELECTED = COLUMNS + ", (SELECT t.name FROM share_types t "
            + "WHERE t.id = shares.share_type_id) AS share_type_name";
    private final Clock clock;

    public ShareRepository(Clock clock) {
        this.clock = clock;
    }

    /** Which shares a list shows: one project's (plus public ones when asked), or all when projectId is null. */
    public record Filter(String projectId, boolean includePublic, String name, String status, String sourceBackupId) {
        public static Filter all() {
            return new Filter(null, false, null, null, null);
        }
    }

    /** Manila's share sort keys that Ferry has, and the column each sorts by. */
    public static final Map<String, String> SORT_KEYS = sortKeys();
    /** Columns that may hold null: sorted (and compared with a marker) as ''. */
    private static final Set<String> NULLABLE = Set.of("name", "description", "user_id");

    private static Map<String, String> sortKeys() {
        Map<String, String> keys = new LinkedHashMap<>();
        for (String key : List.of("id", "name", "status", "size", "share_proto", "project_id", "user_id",
                "created_at", "updated_at")) {
            keys.put(key, key);
        }
        keys.put("display_name", "name");
        return Collections.unmodifiableMap(keys);
    }

    public void insert(Connection c, Share share) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO shares (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, share.id());
            ps.setString(2, share.projectId());
            ps.setString(3, share.userId());
            ps.setString(4, share.name());
            ps.setString(5, share.description());
            ps.setString(6, share.protocol());
            ps.setInt(7, share.size());
            ps.setString(8, share.status().wire());
            ps.setString(9, share.exportPath());
            ps.setBoolean(10, share.isPublic());
            ps.setString(11, share.sourceBackupId());
            ps.setObject(12, share.createdAt());
            ps.setObject(13, share.updatedAt());
            ps.setString(14, share.backend());
            ps.setObject(15, share.progress());
            ps.setString(16, share.shareTypeId());
            ps.executeUpdate();
        }
    }

    public Optional<Share> find(Connection c, String id) throws SQLException {
        if (!Ids.plausible(id)) {
            return Optional.empty();
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT " + SELECTED + " FROM shares WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(map(rs)) : Optional.empty();
            }
        }
    }

    public List<Share> list(Connection c, Filter filter) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + SELECTED + " FROM shares WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        where(filter, sql, args);
        sql.append(" ORDER BY created_at DESC, id");
        return query(c, sql.toString(), args);
    }

    /**
     * One page of the shares {@code filter} selects, in {@code page}'s order (ties by id); with {@code after} (a
     * marker), only those that come after it in that order.
     */
    public List<Share> list(Connection c, Filter filter, Page page, Share after) throws SQLException {
        if (!SORT_KEYS.containsValue(page.sortColumn())) {
            throw new IllegalArgumentException("shares cannot be sorted by '" + page.sortColumn() + "'");
        }
        StringBuilder sql = new StringBuilder("SELECT " + SELECTED + " FROM shares WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        where(filter, sql, args);
        String column = page.sortColumn();
        String sortExpression = NULLABLE.contains(column) ? "COALESCE(" + column + ", '')" : column;
        if (after != null) {
            page.appendAfter(sql, args, sortExpression, sortValue(after, column), after.id());
        }
        sql.append(page.clauses(sortExpression));
        return query(c, sql.toString(), args);
    }

    private static Object sortValue(Share share, String column) {
        return switch (column) {
            case "id" -> share.id();
            case "name" -> share.name() == null ? "" : share.name();
            case "status" -> share.status().wire();
            case "size" -> share.size();
            case "share_proto" -> share.protocol();
            case "project_id" -> share.projectId();
            case "user_id" -> share.userId() == null ? "" : share.userId();
            case "created_at" -> share.createdAt();
            case "updated_at" -> share.updatedAt();
            default -> throw new IllegalArgumentException("shares cannot be sorted by '" + column + "'");
        };
    }

    private static void where(Filter filter, StringBuilder sql, List<Object> args) {
        if (filter.projectId() != null) {
            sql.append(filter.includePublic() ? " AND (project_id = ? OR is_public = TRUE)" : " AND project_id = ?");
            args.add(filter.projectId());
        }
        if (filter.name() != null) {
            sql.append(" AND name = ?");
            args.add(filter.name());
        }
        if (filter.status() != null) {
            sql.append(" AND status = ?");
            args.add(filter.status());
        }
        if (filter.sourceBackupId() != null) {
            sql.append(" AND source_backup_id = ?");
            args.add(filter.sourceBackupId());
        }
    }

    private static List<Share> query(Connection c, String sql, List<Object> args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            List<Share> shares = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    shares.add(map(rs));
                }
            }
            return shares;
        }
    }

    /** {@code from → to}, only while the share is still {@code from}; false when it no longer is. */
    public boolean changeStatus(Connection c, String id, ShareStatus from, ShareStatus to) throws SQLException {
        requireAllowed(from, to);
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE shares SET status = ?, updated_at = ? WHERE id = ? AND status = ?")) {
            ps.setString(1, to.wire());
            ps.setObject(2, Timestamps.now(clock));
            ps.setString(3, id);
            ps.setString(4, from.wire());
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * available → backup_restoring, recording which backup is restored into it (and, for
     * {@link #restorePriorSource}, the source_backup_id it had).
     */
    public boolean startRestore(Connection c, String id, String backupId) throws SQLException {
        requireAllowed(ShareStatus.AVAILABLE, ShareStatus.BACKUP_RESTORING);
        try (PreparedStatement ps = c.prepareStatement("UPDATE shares SET status = ?, "
                + "prior_source_backup_id = source_backup_id, source_backup_id = ?, "
                + "updated_at = ? WHERE id = ? AND status = ?")) {
            ps.setString(1, ShareStatus.BACKUP_RESTORING.wire());
            ps.setString(2, backupId);
            ps.setObject(3, Timestamps.now(clock));
            ps.setString(4, id);
            ps.setString(5, ShareStatus.AVAILABLE.wire());
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * After a restore of {@code backupId} that wrote nothing into the share: its source_backup_id goes back to what
     * it was before that restore started. False when the share no longer names that backup.
     */
    public boolean restorePriorSource(Connection c, String id, String backupId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE shares SET source_backup_id = prior_source_backup_id, "
                + "prior_source_backup_id = NULL, updated_at = ? WHERE id = ? AND source_backup_id = ?")) {
            ps.setObject(1, Timestamps.now(clock));
            ps.setString(2, id);
            ps.setString(3, backupId);
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * How far the creation of a share that is still creating came ({@code percent}, 0-100); progress never goes
     * back. False when the share is not creating (a job about another share's data) or the report is not ahead.
     */
    public boolean recordCreationProgress(Connection c, String id, int percent) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE shares SET progress = ? WHERE id = ? AND status = ? "
                + "AND (progress IS NULL OR progress < ?)")) {
            ps.setInt(1, percent);
            ps.setString(2, id);
            ps.setString(3, ShareStatus.CREATING.wire());
            ps.setInt(4, percent);
            return ps.executeUpdate() == 1;
        }
    }

    /** A new size, while the share is {@code expected}; false when it no longer is. */
    public boolean resize(Connection c, String id, ShareStatus expected, int size) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE shares SET size = ?, updated_at = ? WHERE id = ? AND status = ?")) {
            ps.setInt(1, size);
            ps.setObject(2, Timestamps.now(clock));
            ps.setString(3, id);
            ps.setString(4, expected.wire());
            return ps.executeUpdate() == 1;
        }
    }

    /** An admin's reset: any status to any status, as Manila's {@code reset_status} allows. */
    public boolean resetStatus(Connection c, String id, ShareStatus to) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE shares SET status = ?, updated_at = ? WHERE id = ?")) {
            ps.setString(1, to.wire());
            ps.setObject(2, Timestamps.now(clock));
            ps.setString(3, id);
            return ps.executeUpdate() == 1;
        }
    }

    /** Removes the row (a deleted or unmanaged share), only while it is {@code expected}. */
    public boolean remove(Connection c, String id, ShareStatus expected) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM shares WHERE id = ? AND status = ?")) {
            ps.setString(1, id);
            ps.setString(2, expected.wire());
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * How many shares a project holds and their total size in GiB: every row counts, whatever its status (a
     * deleted or unmanaged share's row is gone; one being deleted still holds its quota until it is).
     */
    public Usage usage(Connection c, String projectId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT COUNT(*), COALESCE(SUM(size), 0) FROM shares WHERE project_id = ?")) {
            ps.setString(1, projectId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Usage(rs.getLong(1), rs.getLong(2));
            }
        }
    }

    /** A project's share count and their total size in GiB. */
    public record Usage(long shares, long gigabytes) {
    }

    private static void requireAllowed(ShareStatus from, ShareStatus to) {
        if (!from.canBecome(to)) {
            throw new IllegalStateException("a share may not go from " + from.wire() + " to " + to.wire());
        }
    }

    private static Share map(ResultSet rs) throws SQLException {
        return new Share(rs.getString("id"), rs.getString("project_id"), rs.getString("user_id"), rs.getString("name"),
                rs.getString("description"), rs.getString("share_proto"), rs.getInt("size"),
                ShareStatus.fromWire(rs.getString("status")), rs.getString("export_path"), rs.getBoolean("is_public"),
                rs.getString("source_backup_id"), Timestamps.read(rs, "created_at"), Timestamps.read(rs, "updated_at"),
                rs.getString("backend"), (Integer) rs.getObject("progress"), rs.getString("share_type_id"),
                rs.getString("share_type_name"));
    }
}
