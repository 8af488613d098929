package db.migration;

import java.sql.Connection;
import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Backups that know their contents: {@code backups.has_manifest} says whether the data node wrote the backup's
 * manifest (backups made before manifests have none: browse, verify and selective restores refuse them), and jobs
 * may verify a backup ({@code verify_backup}).
 */
public class V12__backup_manifests extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        Connection c = context.getConnection();
        V4__backup_deletion.replaceCheck(c, "jobs", "create_backup", "jobs_kind_check",
                "kind IN ('restore_backup', 'create_backup', 'delete_backup', 'create_share', 'delete_share', "
                        + "'shrink_share', 'verify_backup')");
        try (Statement st = c.createStatement()) {
            st.execute("ALTER TABLE backups ADD COLUMN has_manifest BOOLEAN DEFAULT FALSE NOT NULL");
        }
    }
}
