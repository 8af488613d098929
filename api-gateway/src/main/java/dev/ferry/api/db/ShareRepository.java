package dev.ferry.api.db;

import dev.ferry.api.model.Share;
import dev.ferry.api.model.ShareStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads and writes {@code shares}; every status change names the status it expects. */
public final class ShareRepository {
    private static final String COLUMNS = "id, project_id, user_id, name, description, share_proto, size, status, "
            + "export_path, is_public, source_backup_id, created_at, updated_at, backend";
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

    public void insert(Connection c, Share share) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO shares (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
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
            ps.executeUpdate();
        }
    }

    public Optional<Share> find(Connection c, String id) throws SQLException {
        if (!Ids.plausible(id)) {
            return Optional.empty();
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM shares WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(map(rs)) : Optional.empty();
            }
        }
    }

    public List<Share> list(Connection c, Filter filter) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM shares WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
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
        sql.append(" ORDER BY created_at DESC, id");
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
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

    /** available → backup_restoring, recording which backup is restored into it. */
    public boolean startRestore(Connection c, String id, String backupId) throws SQLException {
        requireAllowed(ShareStatus.AVAILABLE, ShareStatus.BACKUP_RESTORING);
        try (PreparedStatement ps = c.prepareStatement("UPDATE shares SET status = ?, source_backup_id = ?, "
                + "updated_at = ? WHERE id = ? AND status = ?")) {
            ps.setString(1, ShareStatus.BACKUP_RESTORING.wire());
            ps.setString(2, backupId);
            ps.setObject(3, Timestamps.now(clock));
            ps.setString(4, id);
            ps.setString(5, ShareStatus.AVAILABLE.wire());
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
                rs.getString("backend"));
    }
}
