package dev.ferry.api.db;

import dev.ferry.api.model.ShareType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads and writes {@code share_types}, their extra specs and the projects that may use a private type. Reads
 * take a {@link Viewer}: a project sees public types and the private ones it was given access to; an admin sees all.
 */
public final class ShareTypeRepository {
    private static final String COLUMNS = "id, name, description, is_public, created_at, updated_at";
    private static final String VISIBLE = " AND (is_public = TRUE OR EXISTS (SELECT 1 FROM share_type_projects p "
            + "WHERE p.share_type_id = share_types.id AND p.project_id = ?))";

    private final Clock clock;

    public ShareTypeRepository(Clock clock) {
        this.clock = clock;
    }

    /** Who reads: {@code projectId} null sees every type (an admin). */
    public record Viewer(String projectId) {
        public static final Viewer ADMIN = new Viewer(null);
    }

    /** Which types a list shows: public only, private only, or both. */
    public enum Publicity { PUBLIC, PRIVATE, ALL }

    public void insert(Connection c, ShareType type) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO share_types (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, type.id());
            ps.setString(2, type.name());
            ps.setString(3, type.description());
            ps.setBoolean(4, type.isPublic());
            ps.setObject(5, type.createdAt());
            ps.setObject(6, type.updatedAt());
            ps.executeUpdate();
        }
        putSpecs(c, type.id(), type.extraSpecs());
    }

    /** Whether a type of that name exists, whoever may see it. */
    public boolean nameTaken(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM share_types WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    public Optional<ShareType> find(Connection c, String id, Viewer viewer) throws SQLException {
        if (!Ids.plausible(id)) {
            return Optional.empty();
        }
        return first(c, "id = ?", id, viewer);
    }

    public Optional<ShareType> findByName(Connection c, String name, Viewer viewer) throws SQLException {
        if (name == null || name.isEmpty() || name.length() > 255) {
            return Optional.empty();
        }
        return first(c, "name = ?", name, viewer);
    }

    private Optional<ShareType> first(Connection c, String condition, String value, Viewer viewer)
            throws SQLException {
        List<Object> args = new ArrayList<>();
        args.add(value);
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM share_types WHERE " + condition);
        if (viewer.projectId() != null) {
            sql.append(VISIBLE);
            args.add(viewer.projectId());
        }
        List<ShareType> found = query(c, sql.toString(), args);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /**
     * The types {@code viewer} sees, by name, as Manila lists them: {@link Publicity#PUBLIC} also holds the private
     * types the viewer's project has access to (for an admin, those of the admin's own {@code ownProject}).
     */
    public List<ShareType> list(Connection c, Viewer viewer, Publicity publicity, String ownProject)
            throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM share_types WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (viewer.projectId() != null) {
            sql.append(VISIBLE);
            args.add(viewer.projectId());
        }
        switch (publicity) {
            case PUBLIC -> {
                sql.append(" AND (is_public = TRUE OR EXISTS (SELECT 1 FROM share_type_projects p "
                        + "WHERE p.share_type_id = share_types.id AND p.project_id = ?))");
                args.add(ownProject);
            }
            case PRIVATE -> sql.append(" AND is_public = FALSE");
            default -> {
            }
        }
        sql.append(" ORDER BY name");
        return query(c, sql.toString(), args);
    }

    private List<ShareType> query(Connection c, String sql, List<Object> args) throws SQLException {
        List<ShareType> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new ShareType(rs.getString("id"), rs.getString("name"), rs.getString("description"),
                            rs.getBoolean("is_public"), Map.of(), Timestamps.read(rs, "created_at"),
                            Timestamps.read(rs, "updated_at")));
                }
            }
        }
        if (rows.isEmpty()) {
            return rows;
        }
        Map<String, Map<String, String>> specs = specsOf(c, rows);
        List<ShareType> types = new ArrayList<>(rows.size());
        for (ShareType row : rows) {
            types.add(row.withExtraSpecs(specs.getOrDefault(row.id(), Map.of())));
        }
        return types;
    }

    private static Map<String, Map<String, String>> specsOf(Connection c, List<ShareType> types) throws SQLException {
        String marks = String.join(", ", java.util.Collections.nCopies(types.size(), "?"));
        Map<String, Map<String, String>> specs = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT share_type_id, spec_key, spec_value FROM "
                + "share_type_extra_specs WHERE share_type_id IN (" + marks + ")")) {
            for (int i = 0; i < types.size(); i++) {
                ps.setString(i + 1, types.get(i).id());
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    specs.computeIfAbsent(rs.getString(1), k -> new HashMap<>()).put(rs.getString(2), rs.getString(3));
                }
            }
        }
        return specs;
    }

    /** Sets each spec (adding it, or replacing its value). */
    public void putSpecs(Connection c, String typeId, Map<String, String> specs) throws SQLException {
        for (Map.Entry<String, String> spec : specs.entrySet()) {
            try (PreparedStatement update = c.prepareStatement("UPDATE share_type_extra_specs SET spec_value = ? "
                    + "WHERE share_type_id = ? AND spec_key = ?")) {
                update.setString(1, spec.getValue());
                update.setString(2, typeId);
                update.setString(3, spec.getKey());
                if (update.executeUpdate() == 1) {
                    continue;
                }
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO share_type_extra_specs "
                    + "(share_type_id, spec_key, spec_value) VALUES (?, ?, ?)")) {
                insert.setString(1, typeId);
                insert.setString(2, spec.getKey());
                insert.setString(3, spec.getValue());
                insert.executeUpdate();
            }
        }
        touch(c, typeId);
    }

    /** False when the type has no such spec. */
    public boolean deleteSpec(Connection c, String typeId, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM share_type_extra_specs WHERE share_type_id = ? "
                + "AND spec_key = ?")) {
            ps.setString(1, typeId);
            ps.setString(2, key);
            if (ps.executeUpdate() == 0) {
                return false;
            }
        }
        touch(c, typeId);
        return true;
    }

    private void touch(Connection c, String typeId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE share_types SET updated_at = ? WHERE id = ?")) {
            ps.setObject(1, Timestamps.now(clock));
            ps.setString(2, typeId);
            ps.executeUpdate();
        }
    }

    /** How many shares have this type. */
    public long shareCount(Connection c, String typeId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM shares WHERE share_type_id = ?")) {
            ps.setString(1, typeId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Removes the type with its specs and access list; false when it is gone already. */
    public boolean delete(Connection c, String typeId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM share_types WHERE id = ?")) {
            ps.setString(1, typeId);
            return ps.executeUpdate() == 1;
        }
    }

    /** The projects given access to a private type, sorted. */
    public List<String> projects(Connection c, String typeId) throws SQLException {
        List<String> projects = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT project_id FROM share_type_projects "
                + "WHERE share_type_id = ? ORDER BY project_id")) {
            ps.setString(1, typeId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    projects.add(rs.getString(1));
                }
            }
        }
        return projects;
    }

    /** False when the project had access already. */
    public boolean addProject(Connection c, String typeId, String projectId) throws SQLException {
        if (projects(c, typeId).contains(projectId)) {
            return false;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO share_type_projects (share_type_id, project_id) "
                + "VALUES (?, ?)")) {
            ps.setString(1, typeId);
            ps.setString(2, projectId);
            return ps.executeUpdate() == 1;
        }
    }

    /** False when the project had no access. */
    public boolean removeProject(Connection c, String typeId, String projectId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM share_type_projects WHERE share_type_id = ? "
                + "AND project_id = ?")) {
            ps.setString(1, typeId);
            ps.setString(2, projectId);
            return ps.executeUpdate() == 1;
        }
    }
}
