package dev.ferry.api.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.db.Repositories;
import dev.ferry.api.db.UserMessageRepository;
import dev.ferry.api.jobs.TransitionApplier.Result;
import dev.ferry.api.model.Backup;
import dev.ferry.api.model.BackupStatus;
import dev.ferry.api.model.Job;
import dev.ferry.api.model.JobStatus;
import dev.ferry.api.model.Share;
import dev.ferry.api.model.ShareStatus;
import dev.ferry.api.model.UserMessage;
import dev.ferry.api.testing.Engine;
import dev.ferry.api.testing.Fixtures;
import dev.ferry.api.testing.OnBothDatabases;
import dev.ferry.messages.FailureDetail;
import dev.ferry.messages.JobKind;
import dev.ferry.messages.StatusRpc.Transition;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What the transitions of issue 11 leave: a created backup records whether its manifest was written
 * ({@code manifest_written}), and a verification's outcome is a user message on the backup, INFO 913 when sound and
 * ERROR 912 naming the damaged files otherwise, with the backup left available throughout.
 */
class ManifestAndVerifyTransitionsTest extends OnBothDatabases {

    private static List<UserMessage> messagesOn(Repositories repos, String resourceId) {
        return repos.database().read(c -> repos.messages().list(c, UserMessageRepository.Filter.all())).stream()
                .filter(m -> resourceId.equals(m.resourceId())).toList();
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aCreatedBackupRecordsWhetherItsManifestWasWritten(Engine engine) throws Exception {
        Fixtures f = new Fixtures(dbs.fresh(engine));
        TransitionApplier applier = new TransitionApplier(f.repos());
        for (boolean written : new boolean[] {true, false}) {
            Share share = f.share("p1", 10, ShareStatus.BACKUP_CREATING);
            Backup backup = f.backup(share, 10, BackupStatus.CREATING);
            Job job = f.job(JobKind.CREATE_BACKUP, backup, share, JobStatus.RUNNING, 1, "node-a");
            Transition success = Transition.succeeded(job.id(), 1, "node-a", written);
            // through the wire form, as the data node sends it
            Transition received = Transition.fromArgs(success.toRequest(null).args());
            assertEquals(written, received.manifestWritten());
            assertEquals(written, success.toRequest(null).args().has("manifest_written"),
                    "manifest_written is sent only when true");

            assertEquals(Result.APPLIED, applier.apply(TestGrants.signed(f.repos(), received)));

            Backup made = f.backup(backup.id());
            assertEquals(BackupStatus.AVAILABLE, made.status());
            assertEquals(written, made.hasManifest());
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aSoundBackupGetsAnInfoMessageAndStaysAvailable(Engine engine) {
        Fixtures f = new Fixtures(dbs.fresh(engine));
        Share share = f.share("p1", 10, ShareStatus.AVAILABLE);
        Backup backup = f.backupWithManifest(share, 10, BackupStatus.AVAILABLE);
        Job job = f.job(JobKind.VERIFY_BACKUP, backup, share, JobStatus.RUNNING, 1, "node-a");

        assertEquals(Result.APPLIED, new TransitionApplier(f.repos()).apply(TestGrants.signed(f.repos(),
                Transition.succeeded(job.id(), 1, "node-a"))));

        assertEquals(JobStatus.SUCCEEDED, f.job(job.id()).status());
        assertEquals(BackupStatus.AVAILABLE, f.backup(backup.id()).status());
        List<UserMessage> messages = messagesOn(f.repos(), backup.id());
        assertEquals(1, messages.size(), messages.toString());
        UserMessage m = messages.get(0);
        assertEquals("INFO", m.messageLevel());
        assertEquals("913", m.detailId());
        assertEquals("902", m.actionId());
        assertEquals("SHARE_BACKUP", m.resourceType());
        assertEquals("p1", m.projectId());
        assertNull(m.detailText(), "the detail's own text says it is sound");
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void damagedFilesGetAnErrorMessageNamingThem(Engine engine) {
        Fixtures f = new Fixtures(dbs.fresh(engine));
        Share share = f.share("p1", 10, ShareStatus.AVAILABLE);
        Backup backup = f.backupWithManifest(share, 10, BackupStatus.AVAILABLE);
        Job job = f.job(JobKind.VERIFY_BACKUP, backup, share, JobStatus.RUNNING, 1, "node-a");
        String reason = "2 of 120 files of backup " + backup.id() + " are damaged or missing in the backup "
                + "repository: docs/a.txt, b.bin. A restore writes every other file and none of these.";

        assertEquals(Result.APPLIED, new TransitionApplier(f.repos()).apply(TestGrants.signed(f.repos(),
                Transition.failed(job.id(), 1, "node-a", FailureDetail.DAMAGED_FILES, reason, false))));

        Job failed = f.job(job.id());
        assertEquals(JobStatus.FAILED, failed.status());
        assertEquals("912", failed.detailId());
        assertEquals(BackupStatus.AVAILABLE, f.backup(backup.id()).status(), "a verify changes no status");
        assertEquals(ShareStatus.AVAILABLE, f.share(share.id()).status());
        List<UserMessage> messages = messagesOn(f.repos(), backup.id());
        assertEquals(1, messages.size(), messages.toString());
        UserMessage m = messages.get(0);
        assertEquals("ERROR", m.messageLevel());
        assertEquals("912", m.detailId());
        assertEquals(reason, m.detailText());
    }

    /** V12 on a database that already holds a backup: the backup had no manifest, and says so. */
    @org.junit.jupiter.api.Test
    void backupsMadeBeforeManifestsHaveNone() throws Exception {
        String url = "jdbc:h2:mem:v12-" + java.util.UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        org.flywaydb.core.Flyway.configure().dataSource(url, "sa", "").locations("classpath:db/migration")
                .target("9").load().migrate();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, "sa", "");
             java.sql.Statement st = c.createStatement()) {
            st.execute("INSERT INTO backups (id, project_id, user_id, share_id, size, status, progress, "
                    + "restore_progress, created_at, updated_at) VALUES ('b-old', 'p1', 'u1', 's1', 1, 'available', "
                    + "'100', '0', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
        }
        try (dev.ferry.api.db.Database db = dev.ferry.api.db.Database.open(url, "sa", "")) {
            Fixtures f = new Fixtures(db);
            assertFalse(f.backup("b-old").hasManifest());
            Backup made = f.backupWithManifest(f.share("p1", 10, ShareStatus.AVAILABLE), 10, BackupStatus.AVAILABLE);
            assertTrue(f.backup(made.id()).hasManifest());
        }
    }
}
