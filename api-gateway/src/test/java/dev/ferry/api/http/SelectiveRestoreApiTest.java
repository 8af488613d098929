package dev.ferry.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.db.UserMessageRepository;
import dev.ferry.api.jobs.ClaimService;
import dev.ferry.api.jobs.TestGrants;
import dev.ferry.api.jobs.TransitionApplier;
import dev.ferry.api.model.Backup;
import dev.ferry.api.model.BackupStatus;
import dev.ferry.api.model.Job;
import dev.ferry.api.model.Share;
import dev.ferry.api.model.ShareStatus;
import dev.ferry.api.model.UserMessage;
import dev.ferry.api.service.BackupContents;
import dev.ferry.messages.CopyCounters;
import dev.ferry.messages.FailureDetail;
import dev.ferry.messages.JobKind;
import dev.ferry.messages.RestoreScope;
import dev.ferry.messages.StateRpc;
import dev.ferry.messages.StatusRpc.Transition;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The restore action's forms (Manila's null and string, Ferry's object form from 2.91), what each 400 says, and a
 * selective restore followed through its grant, its transitions and the admin job view.
 */
class SelectiveRestoreApiTest extends InProcessGateway {
    private static final String ADMIN = "admin:admin";

    /** A backup with a manifest: selective restores need one. */
    private Backup backup() {
        return f.backupWithManifest(f.share("p1", 10, ShareStatus.AVAILABLE), 10, BackupStatus.AVAILABLE);
    }

    /** Data nodes that find every path asked for in the backup's manifest. */
    @Override
    protected BackupContents contents() {
        return new BackupContents() {
            @Override
            public Page browse(String backupId, String folder, int limit, long offset, String requestId) {
                return new Page(List.of(), false);
            }

            @Override
            public List<String> missingPaths(String backupId, List<String> paths, String requestId) {
                return List.of();
            }
        };
    }

    private ApiClient.Response restore(Backup backup, String value) {
        return api.backups("POST", "/v2/share-backups/" + backup.id() + "/action")
                .body("{\"restore\": " + value + "}").send();
    }

    private Job onlyJob(Backup backup) {
        List<Job> jobs = f.repos().database().read(c -> f.repos().jobs().forBackup(c, JobKind.RESTORE, backup.id()));
        assertEquals(1, jobs.size(), jobs.toString());
        return jobs.get(0);
    }

    private RestoreScope keptSelection(Job job) throws Exception {
        return RestoreScope.fromJsonText(f.job(job.id()).restoreSelection());
    }

    /** A 400 that changed nothing: the backup is still available, no job was made. */
    private void assertRefused(Backup backup, ApiClient.Response r, String... phrases) {
        assertEquals(400, r.status(), r.toString());
        assertEquals("badRequest", r.fault(), r.toString());
        for (String phrase : phrases) {
            assertTrue(r.message().contains(phrase), "'" + phrase + "' not in: " + r.message());
        }
        assertEquals(BackupStatus.AVAILABLE, f.backup(backup.id()).status());
        assertEquals(ShareStatus.AVAILABLE, f.share(backup.shareId()).status());
        assertTrue(f.repos().database().read(c -> f.repos().jobs().forBackup(c, JobKind.RESTORE, backup.id()))
                .isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"null", "\"\"", "false", "0", "{}", "[]"})
    void everyFalsyValueIsManilasWholeRestoreInPlace(String value) throws Exception {
        Backup backup = backup();
        ApiClient.Response r = restore(backup, value);
        assertEquals(202, r.status(), r.toString());
        assertEquals(backup.shareId(), r.json().path("restore").path("share_id").asText());
        assertEquals(ShareStatus.BACKUP_RESTORING, f.share(backup.shareId()).status());
        assertNull(keptSelection(onlyJob(backup)), "a whole restore keeps no selection");
    }

    @Test
    void aStringIsTheTargetShareAndRestoresEverything() throws Exception {
        Backup backup = backup();
        Share target = f.share("p1", 10, ShareStatus.AVAILABLE);
        ApiClient.Response r = restore(backup, "\"" + target.id() + "\"");
        assertEquals(202, r.status(), r.toString());
        assertEquals(target.id(), r.json().path("restore").path("share_id").asText());
        assertNull(keptSelection(onlyJob(backup)));
    }

    @Test
    void theObjectFormKeepsItsSelectionWithTheJob() throws Exception {
        Backup backup = backup();
        Share target = f.share("p1", 10, ShareStatus.AVAILABLE);
        ApiClient.Response r = restore(backup, "{\"share_id\": \"" + target.id() + "\", \"paths\": [\"docs\", "
                + "\"src/main.c\", \"docs\"], \"overwrite\": \"if-changed\", \"delete_extra\": true}");
        assertEquals(202, r.status(), r.toString());
        assertEquals(target.id(), r.json().path("restore").path("share_id").asText());
        assertEquals(backup.id(), r.json().path("restore").path("backup_id").asText());
        assertEquals(ShareStatus.BACKUP_RESTORING, f.share(target.id()).status());
        assertEquals(new RestoreScope(List.of("docs", "src/main.c"), "if-changed", true),
                keptSelection(onlyJob(backup)), "a path named twice is restored once");
    }

    @Test
    void theObjectFormWithoutShareIdRestoresInPlaceWithItsDefaults() throws Exception {
        Backup backup = backup();
        ApiClient.Response r = restore(backup, "{\"share_id\": null, \"paths\": [\"a b/ç.txt\"]}");
        assertEquals(202, r.status(), r.toString());
        assertEquals(backup.shareId(), r.json().path("restore").path("share_id").asText());
        assertEquals(new RestoreScope(List.of("a b/ç.txt"), "always", false), keptSelection(onlyJob(backup)));
    }

    @Test
    void theObjectFormWithoutPathsRestoresTheWholeBackupWithItsPolicy() throws Exception {
        Backup backup = backup();
        assertEquals(202, restore(backup, "{\"overwrite\": \"never\"}").status());
        assertEquals(new RestoreScope(List.of(), "never", false), keptSelection(onlyJob(backup)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2.80", "2.90"})
    void belowTwoNinetyOneTheObjectFormIsRefusedNeverRestoredInPlace(String version) {
        Backup backup = backup();
        ApiClient.Response r = api.call("POST", "/v2/share-backups/" + backup.id() + "/action").version(version)
                .experimental().body("{\"restore\": {\"paths\": [\"docs\"]}}").send();
        assertRefused(backup, r, "needs microversion 2.91", "Nothing was restored");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"paths\": [\"/etc/passwd\"]}|\"/etc/passwd\"|remove the leading '/'",
        "{\"paths\": [\"docs/../../x\"]}|\"docs/../../x\"|'..' is not allowed",
        "{\"paths\": [\"..\"]}|\"..\"|'..' is not allowed",
        "{\"paths\": [\"./docs\"]}|\"./docs\"|'.' is not allowed",
        "{\"paths\": [\"docs//a\"]}|\"docs//a\"|empty component",
        "{\"paths\": [\"docs/\"]}|\"docs/\"|empty component",
        "{\"paths\": [\"\"]}|\"\"|empty component",
        "{\"paths\": [\"ok\", 7]}|7|must be a string",
        "{\"paths\": [null]}|null|must be a string",
        "{\"paths\": [[\"a\"]]}|[\"a\"]|must be a string",
    })
    void aBadPathIsRefusedNamingIt(String value, String named, String why) {
        Backup backup = backup();
        assertRefused(backup, restore(backup, value), "Invalid path " + named + " in 'paths'", why);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"paths\": \"docs\"}|Invalid 'paths' \"docs\"",
        "{\"paths\": []}|'paths' is empty",
        "{\"overwrite\": \"sometimes\"}|Invalid 'overwrite' \"sometimes\"",
        "{\"overwrite\": true}|Invalid 'overwrite' true",
        "{\"delete_extra\": \"yes\"}|Invalid 'delete_extra' \"yes\"",
        "{\"delete_extra\": 1}|Invalid 'delete_extra' 1",
        "{\"share_id\": 42}|Invalid 'share_id' 42",
        "{\"share_id\": \"\"}|Invalid 'share_id' \"\"",
        "{\"paths\": [\"docs\"], \"target\": \"x\"}|Unknown key 'target'",
        "{\"share\": \"x\"}|Unknown key 'share'",
        "12|Invalid restore target 12",
        "true|Invalid restore target true",
        "[\"docs\"]|Invalid restore target [\"docs\"]",
    })
    void aBadObjectIsRefusedSayingWhat(String value, String phrase) {
        Backup backup = backup();
        assertRefused(backup, restore(backup, value), phrase);
    }

    @Test
    void tooManyPathsAreRefused() {
        Backup backup = backup();
        StringBuilder paths = new StringBuilder("{\"paths\": [");
        for (int i = 0; i <= 1000; i++) {
            paths.append(i == 0 ? "" : ", ").append("\"f").append(i).append('"');
        }
        assertRefused(backup, restore(backup, paths.append("]}").toString()), "names 1001 paths", "at most 1000");
    }

    @Test
    void aSelectiveRestoreGoesThroughItsGrantTransitionsAndTheAdminView() throws Exception {
        Backup backup = backup();
        Share target = f.share("p1", 10, ShareStatus.AVAILABLE);
        assertEquals(202, restore(backup, "{\"share_id\": \"" + target.id() + "\", \"paths\": [\"docs\"], "
                + "\"overwrite\": \"never\"}").status());
        Job job = onlyJob(backup);

        StateRpc.Grant grant = new ClaimService(f.repos(), 30).claim(new StateRpc.Claim(JobKind.RESTORE,
                backup.toRow(), target.id(), "node-a"), job.requestId());
        assertEquals(new RestoreScope(List.of("docs"), "never", false), grant.restoreSelection());
        assertEquals(1, grant.attempt());

        // the data node gives the job back (a drain); the next claim is the second attempt
        f.repos().database().inTransaction(c -> f.repos().jobs().release(c, job.id(), 1, "node-a"));
        StateRpc.Grant second = new ClaimService(f.repos(), 30).claim(new StateRpc.Claim(JobKind.RESTORE,
                backup.toRow(), target.id(), "node-b"), job.requestId());
        assertEquals(2, second.attempt());
        assertEquals(grant.restoreSelection(), second.restoreSelection());

        TransitionApplier applier = new TransitionApplier(f.repos());
        assertEquals(TransitionApplier.Result.APPLIED, applier.apply(TestGrants.signed(f.repos(),
                Transition.succeeded(job.id(), second.epoch(), "node-b").withCounters(new CopyCounters(3, 9, 300,
                        900, 0, 1)).withNotice(FailureDetail.METADATA_DROPPED,
                        "1 extended attribute or ACL was left out; the first: docs/a (user.tag)."))));
        assertEquals(ShareStatus.AVAILABLE, f.share(target.id()).status());

        ApiClient.Response shown = api.call("GET", "/admin/jobs/" + job.id()).token(ADMIN).send();
        assertEquals(200, shown.status(), shown.toString());
        assertEquals("{\"paths\":[\"docs\"],\"overwrite\":\"never\",\"delete_extra\":false}",
                shown.json().path("job").path("restore_selection").toString(), "what the restore asked for");
        JsonNode attempts = shown.json().path("job").path("attempts");
        assertEquals(2, attempts.size());
        assertTrue(attempts.get(0).path("files_copied").isNull(), "a released attempt reported nothing");
        assertTrue(attempts.get(0).path("bytes_skipped").isNull());
        JsonNode last = attempts.get(1);
        assertEquals(3, last.path("files_copied").asLong());
        assertEquals(9, last.path("files_skipped").asLong());
        assertEquals(300, last.path("bytes_copied").asLong());
        assertEquals(900, last.path("bytes_skipped").asLong());
        assertEquals(1, last.path("metadata_dropped").asLong());

        ApiClient.Response listed = api.call("GET", "/admin/jobs?kind=restore_backup").token(ADMIN).send();
        JsonNode inList = null;
        for (JsonNode item : listed.json().path("jobs")) {
            if (item.path("id").asText().equals(job.id())) {
                inList = item;
            }
        }
        assertEquals(last, inList.path("attempts").get(1), "the list shows the same counters");

        List<UserMessage> messages = f.repos().database().read(c -> f.repos().messages().list(c,
                UserMessageRepository.Filter.all())).stream().filter(m -> target.id().equals(m.resourceId()))
                .toList();
        assertEquals(1, messages.size(), messages.toString());
        assertEquals("914", messages.get(0).detailId());
        assertEquals("WARNING", messages.get(0).messageLevel());
        ApiClient.Response shownMessage = api.call("GET", "/v2/p1/messages/" + messages.get(0).id())
                .version("2.37").send();
        assertEquals(200, shownMessage.status(), shownMessage.toString());
        assertEquals("restore share backup: The target share refused some extended attributes or ACLs; the files "
                + "were restored without them. 1 extended attribute or ACL was left out; the first: docs/a (user.tag).",
                shownMessage.json().path("message").path("user_message").asText());
    }

    @Test
    void damagedFilesFailTheRestoreWithAMessageNamingThem() throws Exception {
        Backup backup = backup();
        assertEquals(202, restore(backup, "null").status());
        Job job = onlyJob(backup);
        StateRpc.Grant grant = new ClaimService(f.repos(), 30).claim(new StateRpc.Claim(JobKind.RESTORE,
                backup.toRow(), backup.shareId(), "node-a"), job.requestId());
        assertNull(grant.restoreSelection());
        new TransitionApplier(f.repos()).apply(TestGrants.signed(f.repos(), Transition.failed(job.id(), grant.epoch(),
                "node-a", FailureDetail.DAMAGED_FILES, "2 files were not restored; the first is \"x/y\".", true)
                .withCounters(new CopyCounters(8, 0, 800, 0, 2, 0))));

        assertEquals(ShareStatus.BACKUP_RESTORING_ERROR, f.share(backup.shareId()).status());
        assertEquals(BackupStatus.AVAILABLE, f.backup(backup.id()).status());
        List<UserMessage> messages = f.repos().database().read(c -> f.repos().messages().list(c,
                UserMessageRepository.Filter.all())).stream().filter(m -> backup.shareId().equals(m.resourceId()))
                .toList();
        assertEquals(1, messages.size(), messages.toString());
        assertTrue(api.call("GET", "/admin/jobs/" + job.id()).token(ADMIN).send().json().path("job")
                .path("restore_selection").isNull(), "a whole restore asked for nothing more");
        assertEquals("912", messages.get(0).detailId());
        assertEquals("ERROR", messages.get(0).messageLevel());
        assertEquals("Some files of the backup are damaged or missing in the backup repository; they were not "
                + "restored. 2 files were not restored; the first is \"x/y\".", messages.get(0).detailText());
        JsonNode attempt = api.call("GET", "/admin/jobs/" + job.id()).token(ADMIN).send().json().path("job")
                .path("attempts").get(0);
        assertEquals(2, attempt.path("files_damaged").asLong());
        assertEquals(8, attempt.path("files_copied").asLong());
    }
}
