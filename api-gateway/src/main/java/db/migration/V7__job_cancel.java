package db.migration;

import java.sql.Connection;
import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Cancelled jobs: a job may end {@code cancelled} (a user's cancel action, or an admin's reset_status or delete
 * that ended it first), and a user message may carry its own text ({@code detail_text}: who cancelled) in place of
 * its detail's fixed text. V1's jobs status CHECK has no name, so it is looked up as V4 does.
 */
public class V7__job_cancel extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        Connection c = context.getConnection();
        V4__backup_deletion.replaceCheck(c, "jobs", "succeeded", "jobs_status_check",
                "status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')");
        try (Statement st = c.createStatement()) {
            st.execute("ALTER TABLE user_messages ADD COLUMN detail_text VARCHAR(1024)");
        }
    }
}
