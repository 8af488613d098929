package db.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Backup deletion: backups may be {@code deleted} (the row is kept, soft-deleted, as Manila does) and jobs
 * may be {@code delete_backup}. V1 declared both CHECKs without names, and H2 and PostgreSQL name such
 * constraints differently, so this migration looks them up in INFORMATION_SCHEMA (by a value only that
 * CHECK mentions), drops them, and adds named ones.
 */
public class V4__backup_deletion extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        Connection c = context.getConnection();
        replaceCheck(c, "backups", "error_deleting", "backups_status_check",
                "status IN ('creating', 'available', 'restoring', 'deleting', 'error', 'error_deleting', 'deleted')");
        replaceCheck(c, "jobs", "create_backup", "jobs_kind_check",
                "kind IN ('restore_backup', 'create_backup', 'delete_backup')");
    }

    static void replaceCheck(Connection c, String table, String mentioned, String name, String clause)
            throws SQLException {
        List<String> old = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT tc.constraint_name FROM information_schema.table_constraints tc "
                + "JOIN information_schema.check_constraints cc ON cc.constraint_name = tc.constraint_name "
                + "AND cc.constraint_schema = tc.constraint_schema "
                + "WHERE tc.constraint_type = 'CHECK' AND LOWER(tc.table_name) = ? AND tc.table_schema = ? "
                + "AND cc.check_clause LIKE ?")) {
            ps.setString(1, table);
            ps.setString(2, c.getSchema());
            ps.setString(3, "%" + mentioned + "%");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    old.add(rs.getString(1));
                }
            }
        }
        if (old.isEmpty()) {
            throw new IllegalStateException("no CHECK constraint on " + table + " mentions '" + mentioned + "'");
        }
        try (Statement st = c.createStatement()) {
            for (String constraint : old) {
                st.execute("ALTER TABLE " + table + " DROP CONSTRAINT \"" + constraint.replace("\"", "\"\"") + "\"");
            }
            st.execute("ALTER TABLE " + table + " ADD CONSTRAINT " + name + " CHECK (" + clause + ")");
        }
    }
}
