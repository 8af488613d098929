package db.migration;

import java.sql.Connection;
import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * The share lifecycle: shares know their backend ({@code managed}: an existing export Ferry only records;
 * {@code subdir}: a folder Ferry created under its base export) and may be deleting, error_deleting or
 * shrinking; jobs may be about a share alone (create, delete, shrink a {@code subdir} share), so their
 * backup is optional, and a shrink job records the size it asks for. V1's shares CHECK has no name, so
 * it is looked up as V4 does.
 */
public class V5__share_lifecycle extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        Connection c = context.getConnection();
        V4__backup_deletion.replaceCheck(c, "shares", "backup_restoring_error", "shares_status_check",
                "status IN ('creating', 'available', 'error', 'deleting', 'error_deleting', 'shrinking', "
                        + "'backup_creating', 'backup_restoring', 'backup_restoring_error')");
        V4__backup_deletion.replaceCheck(c, "jobs", "create_backup", "jobs_kind_check",
                "kind IN ('restore_backup', 'create_backup', 'delete_backup', 'create_share', 'delete_share', "
                        + "'shrink_share')");
        try (Statement st = c.createStatement()) {
            st.execute("ALTER TABLE shares ADD COLUMN backend VARCHAR(16) DEFAULT 'managed' NOT NULL");
            st.execute("ALTER TABLE shares ADD CONSTRAINT shares_backend_check CHECK (backend IN ('managed', 'subdir'))");
            st.execute("ALTER TABLE jobs ALTER COLUMN backup_id DROP NOT NULL");
            st.execute("ALTER TABLE jobs ADD COLUMN new_size INTEGER");
        }
    }
}
