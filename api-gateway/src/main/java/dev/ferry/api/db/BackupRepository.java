package dev.ferry.api.db;

import dev.ferry.api.model.Backup;
import dev.ferry.api.model.BackupStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads and writes {@code backups}; every status change names the status it expects. */
public final class BackupRepository {
    private static final String COLUMNS = "id, project_id, user_id, share_id, size, status, name, description, "
            + "progress, restore_progress, fail_reason, backup_type, host, topic, created_at, updated_at";
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

    /** A list query: one project's backups, or all when projectId is null; newest first unless ascending. */
    public record Filter(String projectId, String shareId, String status, String name, boolean ascending,
                         Integer limit, Integer offset) {
        public static Filter all() {
            return new Filter(null, null, null, null, false, null, null);
        }
    }

    public void insert(Connection c, Backup backup) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO backups (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
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
            ps.executeUpdate();
        }
    }

    public Optional<Backup> find(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM backups WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(map(rs)) : Optional.empty();
            }
        }
    }

    public List<Backup> list(Connection c, Filter filter) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM backups WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        addEquals(sql, args, "project_id", filter.projectId());
        addEquals(sql, args, "share_id", filter.shareId());
        addEquals(sql, args, "status", filter.status());
        addEquals(sql, args, "name", filter.name());
        sql.append(filter.ascending() ? " ORDER BY created_at ASC, id ASC" : " ORDER BY created_at DESC, id DESC");
        if (filter.limit() != null) {
            sql.append(" LIMIT ").append(filter.limit());
        }
        if (filter.offset() != null) {
            sql.append(" OFFSET ").append(filter.offset());
        }
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

    /** creating → available with progress "100"; {@code host} is the data node that made it. */
    public boolean finishCreate(Connection c, String id, String host) throws SQLException {
        requireAllowed(BackupStatus.CREATING, BackupStatus.AVAILABLE);
        try (PreparedStatement ps = c.prepareStatement("UPDATE backups SET status = ?, progress = '100', host = ?, "
                + "updated_at = ? WHERE id = ? AND status = ?")) {
            ps.setString(1, BackupStatus.AVAILABLE.wire());
            ps.setString(2, host);
            ps.setObject(3, Timestamps.now(clock));
            ps.setString(4, id);
            ps.setString(5, BackupStatus.CREATING.wire());
            return ps.executeUpdate() == 1;
        }
    }

    /** creating → error, remembering why. */
    public boolean failCreate(Connection c, String id, String reason) throws SQLException {
        requireAllowed(BackupStatus.CREATING, BackupStatus.ERROR);
        try (PreparedStatement ps = c.prepareStatement("UPDATE backups SET status = ?, fail_reason = ?, "
                + "updated_at = ? WHERE id = ? AND status = ?")) {
            ps.setString(1, BackupStatus.ERROR.wire());
            ps.setString(2, reason);
            ps.setObject(3, Timestamps.now(clock));
            ps.setString(4, id);
            ps.setString(5, BackupStatus.CREATING.wire());
            return ps.executeUpdate() == 1;
        }
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

    private boolean update(Connection c, String id, BackupStatus from, BackupStatus to, String alsoSet)
            throws SQLException {
        requireAllowed(from, to);
        try (PreparedStatement ps = c.prepareStatement("UPDATE backups SET status = ?, updated_at = ?"
                + (alsoSet == null ? "" : ", " + alsoSet) + " WHERE id = ? AND status = ?")) {
            ps.setString(1, to.wire());
            ps.setObject(2, Timestamps.now(clock));
            ps.setString(3, id);
            ps.setString(4, from.wire());
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
                Timestamps.read(rs, "updated_at"));
    }
}
