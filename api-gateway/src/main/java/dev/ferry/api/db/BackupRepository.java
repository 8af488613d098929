package dev.ferry.api.db;

import dev.ferry.api.model.Backup;
import dev.ferry.api.model.BackupStatus;
import dev.ferry.messages.FailureReasons;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** Reads and writes {@code backups}; every status change names the status it expects. */
public final class BackupRepository {
    private static final String COLUMNS = "id, project_id, user_id, share_id, size, status, name, description, "
            + "progress, restore_progress, fail_reason, backup_type, host, topic, created_at, updated_at, has_manifest";
    /** Soft-deleted rows are invisible to reads. */
    private static final String NOT_DELETED = " AND status <> '" + BackupStatus.DELETED.wire() + "'";
    private final Clock clock;

    public BackupRepository(Clock clock) {
        this.clock = clock;
    }

    /** Which progress column a data node reports on. */
    public enum ProgressField {
        PROGRESS("progress"), RESTORE_PROGRESS("restore_progress");

        private final String column;

        ProgressField(String column) {
            this.column = column;
        }
    }

    /** Columns a list may sort by, in the order error messages name them (Manila's keys on the left). */
    public static final Map<String, String> SORT_KEYS = sortKeys();
    /** Columns a list may filter on with equality. */
    public static final Set<String> EQUALS_COLUMNS = Set.of("id", "share_id", "status", "name", "description",
            "host", "topic", "project_id");
    /** Columns a list may filter on by case-insensitive substring. */
    public static final Set<String> LIKE_COLUMNS = Set.of("name", "description");

    /**
     * A list query: one project's backups (all when projectId is null), rows whose columns equal
     * {@code equals}, contain {@code contains} (case-insensitive), and, with a marker, lie after it in
     * the page's order.
     */
    public record Filter(String projectId, Map<String, String> equals, Map<String, String> contains, Page page,
                         Backup after) {
        public Filter {
            equals = Map.copyOf(equals);
            contains = Map.copyOf(contains);
            for (String column : equals.keySet()) {
                require(EQUALS_COLUMNS.contains(column), column);
            }
            for (String column : contains.keySet()) {
                require(LIKE_COLUMNS.contains(column), column);
            }
            require(SORT_KEYS.containsValue(page.sortColumn()), page.sortColumn());
        }

        public static Filter all() {
            return new Filter(null, Map.of(), Map.of(), Page.newestFirst(), null);
        }

        private static void require(boolean allowed, String column) {
            if (!allowed) {
                throw new IllegalArgumentException("backups cannot be listed by column '" + column + "'");
            }
        }
    }

    private static Map<String, String> sortKeys() {
        Map<String, String> keys = new LinkedHashMap<>();
        for (String key : List.of("id", "name", "description", "status", "size", "share_id", "created_at",
                "updated_at", "progress", "restore_progress")) {
            keys.put(key, key);
        }
        return Collections.unmodifiableMap(keys);
    }

    public void insert(Connection c, Backup backup) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO backups (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, backup.id());
            ps.setString(2, backup.projectId());
            ps.setString(3, backup.userId());
            ps.setString(4, backup.shareId());
            ps.setInt(5, backup.size());
            ps.setString(6, backup.status().wire());
            ps.setString(7, backup.name());
            ps.setString(8, backup.description());
            ps.setString(9, backup.progress());
            ps.setString(10, backup.restoreProgress());
            ps.setString(11, backup.failReason());
            ps.setString(12, backup.backupType());
            ps.setString(13, backup.host());
            ps.setString(14, backup.topic());
            ps.setObject(15, backup.createdAt());
            ps.setObject(16, backup.updatedAt());
            ps.setBoolean(17, backup.hasManifest());
            ps.executeUpdate();
        }
    }

    /** The backup, unless there is none or it was deleted ({@code deleted} rows exist for no one but the audit). */
    public Optional<Backup> find(Connection c, String id) throws SQLException {
        return find(c, id, false);
    }

    /** The backup's row even when it is soft-deleted (status {@code deleted}). */
    public Optional<Backup> findIncludingDeleted(Connection c, String id) throws SQLException {
        return find(c, id, true);
    }

    private Optional<Backup> find(Connection c, String id, boolean includeDeleted) throws SQLException {
        if (!Ids.plausible(id)) {
            return Optional.empty();
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM backups WHERE id = ?"
                + (includeDeleted ? "" : NOT_DELETED))) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(map(rs)) : Optional.empty();
            }
        }
    }

    public List<Backup> list(Connection c, Filter filter) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM backups WHERE 1 = 1" + NOT_DELETED);
        List<Object> args = new ArrayList<>();
        addEquals(sql, args, "project_id", filter.projectId());
        for (Map.Entry<String, String> e : new TreeMap<>(filter.equals()).entrySet()) {
            addEquals(sql, args, e.getKey(), e.getValue());
        }
        for (Map.Entry<String, String> e : new TreeMap<>(filter.contains()).entrySet()) {
            sql.append(" AND LOWER(").append(e.getKey()).append(") LIKE ? ESCAPE '!'");
            args.add("%" + Likes.escape(e.getValue().toLowerCase(Locale.ROOT)) + "%");
        }
        Page page = filter.page();
        String sortExpression = sortExpression(page.sortColumn());
        if (filter.after() != null) {
            page.appendAfter(sql, args, sortExpression, sortValue(filter.after(), page.sortColumn()), filter.after().id());
        }
        sql.append(page.clauses(sortExpression));
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            List<Backup> backups = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    backups.add(map(rs));
                }
            }
            return backups;
        }
    }

    /** Sets name and description (a null value clears it); the other fields are left as they are. */
    public boolean rename(Connection c, String id, boolean setName, String name, boolean setDescription,
                          String description) throws SQLException {
        StringBuilder sql = new StringBuilder("UPDATE backups SET updated_at = ?");
        List<Object> args = new ArrayList<>();
        args.add(Timestamps.now(clock));
        if (setName) {
            sql.append(", name = ?");
            args.add(name);
        }
        if (setDescription) {
            sql.append(", description = ?");
            args.add(description);
        }
        sql.append(" WHERE id = ?").append(NOT_DELETED);
        args.add(id);
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * An admin's reset: {@code from} → {@code to} whatever the state machine says, only while the backup is
     * still {@code from}.
     */
    public boolean resetStatus(Connection c, String id, BackupStatus from, BackupStatus to) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE backups SET status = ?, updated_at = ? "
                + "WHERE id = ? AND status = ?")) {
            ps.setString(1, to.wire());
            ps.setObject(2, Timestamps.now(clock));
            ps.setString(3, id);
            ps.setString(4, from.wire());
            return ps.executeUpdate() == 1;
        }
    }

    /** How many backups and GiB {@code projectId} holds in the given statuses (what its quota counts). */
    public Usage usage(Connection c, String projectId, Set<BackupStatus> counted) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT COUNT(*), COALESCE(SUM(size), 0) FROM backups "
                + "WHERE project_id = ? AND status IN (");
        List<String> statuses = counted.stream().map(BackupStatus::wire).sorted().toList();
        sql.append(String.join(", ", Collections.nCopies(statuses.size(), "?"))).append(')');
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            ps.setString(1, projectId);
            for (int i = 0; i < statuses.size(); i++) {
                ps.setString(i + 2, statuses.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Usage(rs.getLong(1), rs.getLong(2));
            }
        }
    }

    /** A project's backup count and their total size in GiB. */
    public record Usage(long backups, long gigabytes) {
    }

    private static String sortExpression(String column) {
        return LIKE_COLUMNS.contains(column) ? "COALESCE(" + column + ", '')" : column;
    }

    private static Object sortValue(Backup b, String column) {
        return switch (column) {
            case "id" -> b.id();
            case "name" -> b.name() == null ? "" : b.name();
            case "description" -> b.description() == null ? "" : b.description();
            case "status" -> b.status().wire();
            case "size" -> b.size();
            case "share_id" -> b.shareId();
            case "created_at" -> b.createdAt();
            case "updated_at" -> b.updatedAt();
            case "progress" -> b.progress();
            case "restore_progress" -> b.restoreProgress();
            default -> throw new IllegalArgumentException("backups cannot be sorted by '" + column + "'");
        };
    }

    /** available → restoring, with restore_progress back at "0". */
    public boolean startRestore(Connection c, String id) throws SQLException {
        return update(c, id, BackupStatus.AVAILABLE, BackupStatus.RESTORING, "restore_progress = '0'");
    }

    /** restoring → available with restore_progress "100". */
    public boolean finishRestore(Connection c, String id) throws SQLException {
        return update(c, id, BackupStatus.RESTORING, BackupStatus.AVAILABLE, "restore_progress = '100'");
    }

    /** restoring → available, progress left as it was (the restore failed). */
    public boolean abandonRestore(Connection c, String id) throws SQLException {
        return update(c, id, BackupStatus.RESTORING, BackupStatus.AVAILABLE, null);
    }

    /** available or error → deleting (a delete was accepted). */
    public boolean startDelete(Connection c, String id) throws SQLException {
        requireAllowed(BackupStatus.AVAILABLE, BackupStatus.DELETING);
        requireAllowed(BackupStatus.ERROR, BackupStatus.DELETING);
        try (PreparedStatement ps = c.prepareStatement("UPDATE backups SET status = ?, updated_at = ? "
                + "WHERE id = ? AND status IN (?, ?)")) {
            ps.setString(1, BackupStatus.DELETING.wire());
            ps.setObject(2, Timestamps.now(clock));
            ps.setString(3, id);
            ps.setString(4, BackupStatus.AVAILABLE.wire());
            ps.setString(5, BackupStatus.ERROR.wire());
            return ps.executeUpdate() == 1;
        }
    }

    /** How many backups of the share exist (deleted ones do not count). */
    public int countOfShare(Connection c, String shareId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT COUNT(*) FROM backups WHERE share_id = ? AND status <> ?")) {
            ps.setString(1, shareId);
            ps.setString(2, BackupStatus.DELETED.wire());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** deleting → deleted: the row is soft-deleted, hidden from every read and from the quotas. */
    public boolean finishDelete(Connection c, String id) throws SQLException {
        return update(c, id, BackupStatus.DELETING, BackupStatus.DELETED, null);
    }

    /** deleting → error_deleting (the deletion failed). */
    public boolean failDelete(Connection c, String id) throws SQLException {
        return update(c, id, BackupStatus.DELETING, BackupStatus.ERROR_DELETING, null);
    }

    /** creating → available with progress "100"; {@code host} is the data node that made it. */
    public boolean finishCreate(Connection c, String id, String host) throws SQLException {
        return finishCreate(c, id, host, false);
    }

    /** creating → available, recording the node and whether it wrote the backup's manifest. */
    public boolean finishCreate(Connection c, String id, String host, boolean hasManifest) throws SQLException {
        return update(c, id, BackupStatus.CREATING, BackupStatus.AVAILABLE, "progress = '100', host = ?, "
                + "has_manifest = ?", host, hasManifest);
    }

    /** creating → error, remembering why ({@link FailureReasons#bound bounded}). */
    public boolean failCreate(Connection c, String id, String reason) throws SQLException {
        return update(c, id, BackupStatus.CREATING, BackupStatus.ERROR, "fail_reason = ?",
                FailureReasons.bound(reason));
    }

    /** Sets a progress field from {@code from} to {@code to}, only while the backup is {@code status}. */
    public boolean setProgress(Connection c, String id, BackupStatus status, ProgressField field, String from,
                               String to) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE backups SET " + field.column + " = ?, updated_at = ? "
                + "WHERE id = ? AND status = ? AND " + field.column + " = ?")) {
            ps.setString(1, to);
            ps.setObject(2, Timestamps.now(clock));
            ps.setString(3, id);
            ps.setString(4, status.wire());
            ps.setString(5, from);
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * The conditional status change every transition uses: {@code from} → {@code to} only while the row is
     * still {@code from}; {@code alsoSet} (with its {@code ?} bound to {@code alsoArgs}) changes more columns.
     */
    private boolean update(Connection c, String id, BackupStatus from, BackupStatus to, String alsoSet,
                           Object... alsoArgs) throws SQLException {
        requireAllowed(from, to);
        try (PreparedStatement ps = c.prepareStatement("UPDATE backups SET status = ?, updated_at = ?"
                + (alsoSet == null ? "" : ", " + alsoSet) + " WHERE id = ? AND status = ?")) {
            int i = 1;
            ps.setString(i++, to.wire());
            ps.setObject(i++, Timestamps.now(clock));
            for (Object arg : alsoArgs) {
                ps.setObject(i++, arg);
            }
            ps.setString(i++, id);
            ps.setString(i, from.wire());
            return ps.executeUpdate() == 1;
        }
    }

    private static void addEquals(StringBuilder sql, List<Object> args, String column, String value) {
        if (value != null) {
            sql.append(" AND ").append(column).append(" = ?");
            args.add(value);
        }
    }

    private static void requireAllowed(BackupStatus from, BackupStatus to) {
        if (!from.canBecome(to)) {
            throw new IllegalStateException("a backup may not go from " + from.wire() + " to " + to.wire());
        }
    }

    private static Backup map(ResultSet rs) throws SQLException {
        return new Backup(rs.getString("id"), rs.getString("project_id"), rs.getString("user_id"),
                rs.getString("share_id"), rs.getInt("size"), BackupStatus.fromWire(rs.getString("status")),
                rs.getString("name"), rs.getString("description"), rs.getString("progress"),
                rs.getString("restore_progress"), rs.getString("fail_reason"), rs.getString("backup_type"),
                rs.getString("host"), rs.getString("topic"), Timestamps.read(rs, "created_at"),
                Timestamps.read(rs, "updated_at"), rs.getBoolean("has_manifest"));
    }
}
