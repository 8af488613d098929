package dev.ferry.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.jobs.ClaimService;
import dev.ferry.api.jobs.TransitionApplier;
import dev.ferry.api.model.Backup;
import dev.ferry.api.model.BackupStatus;
import dev.ferry.api.model.OutboxMessage;
import dev.ferry.api.model.Share;
import dev.ferry.api.model.ShareStatus;
import dev.ferry.api.service.ApiError;
import dev.ferry.api.service.BackupQueries;
import dev.ferry.api.service.Policies;
import dev.ferry.messages.DataRpc;
import dev.ferry.messages.JobKind;
import dev.ferry.messages.OsloEnvelope;
import dev.ferry.messages.RequestContext;
import dev.ferry.messages.RpcRequest;
import dev.ferry.messages.StateRpc;
import dev.ferry.messages.StatusRpc.Transition;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The lines of manila-behaviour.md §7.1 (API controller), §7.2 (share API) and §7.5 (tempest) that no
 * other test covered, adapted to Ferry: one data-manager path, no backup driver options, no snapshots,
 * replicas or share task states. Each method names its line. The lines covered elsewhere, and the ones
 * where Ferry differs on purpose, are listed in the report that came with this class.
 */
class ManilaChecklistTest extends InProcessGateway {
    private static final String ADMIN = "admin:ops";
    private static final Set<String> DETAIL_KEYS = Set.of("id", "name", "share_id", "status", "description", "size",
            "created_at", "updated_at", "availability_zone", "progress", "restore_progress");

    /** A project of its own, so lists hold only this test's rows. */
    private static String project() {
        return "pc-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String member(String project) {
        return "carol:" + project;
    }

    private static Set<String> keys(JsonNode object) {
        Set<String> keys = new TreeSet<>();
        object.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    private static void assertFault(ApiClient.Response r, int status, String fault, String message) {
        assertEquals(status, r.status(), r.toString());
        assertEquals(fault, r.fault(), r.toString());
        assertEquals(message, r.message(), r.toString());
    }

    private int rows(String sql, String arg) {
        return f.repos().database().read(c -> {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                s.setString(1, arg);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    /** Manila's admin share reset_status, as tempest resets a share: over the API, as an admin. */
    private void resetShareStatus(Share share, ShareStatus to) {
        ApiClient.Response reset = api.call("POST", "/v2/shares/" + share.id() + "/action").token("admin:ops")
                .version("2.91").body("{\"reset_status\": {\"status\": \"" + to.wire() + "\"}}").send();
        assertEquals(202, reset.status(), reset.toString());
        assertEquals(to, f.share(share.id()).status());
    }

    /** What a data node does with the cast of an accepted request: decode it and claim the job. */
    private StateRpc.Grant claimCastOf(ApiClient.Response accepted) throws Exception {
        String requestId = accepted.header("X-OpenStack-Request-Id");
        List<OutboxMessage> casts = f.repos().database().read(c -> f.repos().outbox().forRequest(c, requestId));
        assertEquals(1, casts.size());
        RpcRequest cast = RpcRequest.decode(OsloEnvelope.CONTENT_TYPE, casts.get(0).body());
        DataRpc.DataCast parsed = DataRpc.parse(cast);
        JobKind kind = parsed instanceof DataRpc.RestoreBackup ? JobKind.RESTORE : JobKind.CREATE_BACKUP;
        return new ClaimService(f.repos(), 30).claim(new StateRpc.Claim(kind, parsed.backup(), parsed.shareId(),
                "node-a"), cast.requestId());
    }

    private ApiClient.Response create(String token, String shareId) {
        return api.backups("POST", "/v2/share-backups").token(token)
                .body("{\"share_backup\": {\"share_id\": \"" + shareId + "\"}}").send();
    }

    private ApiClient.Response restore(String token, Backup backup, String body) {
        return api.backups("POST", "/v2/share-backups/" + backup.id() + "/action").token(token).body(body).send();
    }

    // --- §7.1 API controller -----------------------------------------------------------------------------

    /** §7.1 "List detail returns detail fields; admins also see host and topic, non-admins do not." */
    @Test
    void s71_listDetailShowsHostAndTopicToAdminsOnly() {
        String p = project();
        Backup backup = f.backup(f.share(p, 3, ShareStatus.AVAILABLE), 3, BackupStatus.AVAILABLE);

        JsonNode mine = api.backups("GET", "/v2/share-backups/detail").token(member(p)).send().json()
                .path("share_backups");
        assertEquals(1, mine.size(), mine.toString());
        Set<String> memberKeys = new TreeSet<>(DETAIL_KEYS);
        memberKeys.add("backup_type");
        assertEquals(memberKeys, keys(mine.get(0)));

        JsonNode admin = api.backups("GET", "/v2/share-backups/detail?all_tenants=1&share_id="
                + backup.shareId()).token(ADMIN).send().json().path("share_backups");
        assertEquals(1, admin.size(), admin.toString());
        assertEquals("data-node-1", admin.get(0).path("host").asText());
        assertEquals("manila-data", admin.get(0).path("topic").asText());
    }

    /** §7.1 "List detail honours limit, and limit with offset." */
    @Test
    void s71_listDetailHonoursLimitAndOffset() {
        String p = project();
        Share share = f.share(p, 3, ShareStatus.AVAILABLE);
        for (int i = 0; i < 3; i++) {
            f.backup(share, 3, BackupStatus.AVAILABLE);
        }
        List<String> all = ids(api.backups("GET", "/v2/share-backups/detail?sort_key=id&sort_dir=asc")
                .token(member(p)).send());
        assertEquals(3, all.size());
        assertEquals(all.subList(0, 2), ids(api.backups("GET", "/v2/share-backups/detail?sort_key=id&sort_dir=asc"
                + "&limit=2").token(member(p)).send()));
        assertEquals(all.subList(1, 2), ids(api.backups("GET", "/v2/share-backups/detail?sort_key=id&sort_dir=asc"
                + "&limit=1&offset=1").token(member(p)).send()));
    }

    private static List<String> ids(ApiClient.Response r) {
        assertEquals(200, r.status(), r.toString());
        List<String> ids = new java.util.ArrayList<>();
        r.json().path("share_backups").forEach(b -> ids.add(b.path("id").asText()));
        return ids;
    }

    /** §7.1 "List detail with an unknown share_id gives 400, and no view is rendered." */
    @Test
    void s71_listDetailWithAnUnknownShareIs400() {
        String p = project();
        f.backup(f.share(p, 3, ShareStatus.AVAILABLE), 3, BackupStatus.AVAILABLE);
        String unknown = UUID.randomUUID().toString();
        ApiClient.Response r = api.backups("GET", "/v2/share-backups/detail?share_id=" + unknown).token(member(p))
                .send();
        assertFault(r, 400, "badRequest", "No share exists with ID " + unknown + ".");
        assertFalse(r.json().has("share_backups"));
    }

    /** §7.1 "List detail at 2.80 omits backup_type; at the maximum version it includes it." */
    @Test
    void s71_listDetailAddsBackupTypeFrom285() {
        String p = project();
        f.backup(f.share(p, 3, ShareStatus.AVAILABLE), 3, BackupStatus.AVAILABLE);
        JsonNode at280 = api.call("GET", "/v2/share-backups/detail").token(member(p)).version("2.80").experimental()
                .send().json().path("share_backups").get(0);
        assertEquals(DETAIL_KEYS, keys(at280));
        JsonNode atMax = api.backups("GET", "/v2/share-backups/detail").token(member(p)).send().json()
                .path("share_backups").get(0);
        assertTrue(atMax.has("backup_type"), atMax.toString());
    }

    /** §7.1 "Create with an empty body gives 422." */
    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"share_backup\": null}", "{\"share_backup\": \"x\"}"})
    void s71_createWithoutAShareBackupObjectIs422(String body) {
        ApiClient.Response r = api.backups("POST", "/v2/share-backups").token(member(project())).body(body).send();
        assertFault(r, 422, "computeFault", "Body does not contain 'share_backup' information.");
    }

    /** §7.1 "Create with share_id: null gives 400, and so does create with an unknown share." */
    @Test
    void s71_createWithANullOrUnknownShareIs400() {
        String token = member(project());
        assertFault(api.backups("POST", "/v2/share-backups").token(token)
                .body("{\"share_backup\": {\"share_id\": null}}").send(), 400, "badRequest",
                "'share_id' is missing from the request body.");
        String unknown = UUID.randomUUID().toString();
        assertFault(create(token, unknown), 400, "badRequest", "No share exists with ID " + unknown + ".");
    }

    /** §7.1 "Restore at 2.80 with {'restore': None} returns {'restore': {backup_id, share_id}}." */
    @Test
    void s71_restoreAt280ReturnsTheBackupAndTheShare() {
        String p = project();
        Backup backup = f.backup(f.share(p, 3, ShareStatus.AVAILABLE), 3, BackupStatus.AVAILABLE);
        ApiClient.Response r = api.call("POST", "/v2/share-backups/" + backup.id() + "/action").token(member(p))
                .version("2.80").experimental().body("{\"restore\": null}").send();
        assertEquals(202, r.status(), r.toString());
        assertEquals(Set.of("restore"), keys(r.json()));
        assertEquals(Set.of("backup_id", "share_id"), keys(r.json().path("restore")));
        assertEquals(backup.id(), r.json().path("restore").path("backup_id").asText());
        assertEquals(backup.shareId(), r.json().path("restore").path("share_id").asText());
    }

    /**
     * §7.1 "When the policy fails, index and detail give 403." noauth gives every caller the reader role, so
     * the refusal is shown one layer down, with a caller whose roles (keystone mode) lack it.
     */
    @Test
    void s71_listingWithoutTheReaderRoleIs403() {
        BackupQueries queries = new BackupQueries(f.repos(), Policies.defaults());
        RequestContext noRoles = RequestContext.of("eve", project(), false, List.of());
        ApiError refused = assertThrows(ApiError.class, () -> queries.list(noRoles,
                new BackupQueries.ListQuery(Map.of(), false, "created_at", false, null, null, null)));
        assertEquals(403, refused.status());
        RequestContext reader = RequestContext.of("eve", project(), false, List.of("reader"));
        assertEquals(0, queries.list(reader,
                new BackupQueries.ListQuery(Map.of(), false, "created_at", false, null, null, null)).backups().size());
    }

    /** §7.1 "At versions 2.2 and 2.18, index, detail, show, create and delete … become 404." */
    @ParameterizedTest
    @ValueSource(strings = {"2.2", "2.18"})
    void s71_oldMicroversionsHaveNoBackupApi(String version) {
        String p = project();
        Share share = f.share(p, 3, ShareStatus.AVAILABLE);
        Backup backup = f.backup(share, 3, BackupStatus.AVAILABLE);
        List<ApiClient.Call> calls = List.of(
                api.call("GET", "/v2/share-backups"),
                api.call("GET", "/v2/share-backups/detail"),
                api.call("GET", "/v2/share-backups/" + backup.id()),
                api.call("POST", "/v2/share-backups").body("{\"share_backup\": {\"share_id\": \"" + share.id() + "\"}}"),
                api.call("DELETE", "/v2/share-backups/" + backup.id()));
        for (ApiClient.Call call : calls) {
            ApiClient.Response r = call.token(member(p)).version(version).experimental().send();
            assertFault(r, 404, "itemNotFound", "The resource could not be found.");
        }
        assertEquals(BackupStatus.AVAILABLE, f.backup(backup.id()).status());
        assertEquals(ShareStatus.AVAILABLE, f.share(share.id()).status());
        assertEquals(1, rows("SELECT COUNT(*) FROM backups WHERE share_id = ?", share.id()));
    }

    // --- §7.2 share API ----------------------------------------------------------------------------------

    /**
     * §7.2 "Generic create for a CEPHFS or CIFS share, when supported protocols are ['MANGO'], raises
     * InvalidShare. The quota is rolled back and no row or RPC is created." Ferry's supported list is NFS.
     */
    @ParameterizedTest
    @ValueSource(strings = {"CEPHFS", "CIFS"})
    void s72_createForAnUnsupportedProtocolLeavesNoRowJobOrCast(String protocol) {
        String p = project();
        Share share = f.share(p, 3, ShareStatus.AVAILABLE, protocol, false);
        ApiClient.Response r = create(member(p), share.id());
        assertFault(r, 400, "badRequest", "Cannot backup share " + share.id() + ". The generic approach for share "
                + "backups only supports the following protocols: ['NFS'].");
        assertEquals(0, rows("SELECT COUNT(*) FROM backups WHERE share_id = ?", share.id()));
        assertEquals(0, rows("SELECT COUNT(*) FROM jobs WHERE share_id = ?", share.id()));
        assertEquals(0, rows("SELECT COUNT(*) FROM outbox WHERE request_id = ?", r.header("X-OpenStack-Request-Id")));
        assertEquals(ShareStatus.AVAILABLE, f.share(share.id()).status());
        for (int i = 0; i < 10; i++) {
            f.backup(f.share(p, 1, ShareStatus.AVAILABLE), 1, BackupStatus.AVAILABLE);
        }
        assertEquals(413, create(member(p), f.share(p, 1, ShareStatus.AVAILABLE).id()).status(),
                "the refused create took no quota: the tenth backup filled it");
    }

    /**
     * §7.2 "Create on a share in error raises InvalidShare", and §7.5 "create on an error share gives 400";
     * Ferry's busy shares (backup_creating, backup_restoring: Manila's task states are statuses here) too.
     */
    @ParameterizedTest
    @EnumSource(value = ShareStatus.class, names = "AVAILABLE", mode = EnumSource.Mode.EXCLUDE)
    void s72_createOnAShareThatIsNotAvailableIs400(ShareStatus status) {
        String p = project();
        Share share = f.share(p, 3, status);
        assertFault(create(member(p), share.id()), 400, "badRequest", "Share " + share.id() + " is in '"
                + status.wire() + "' state, but it must be in 'available' state to create a backup.");
        assertEquals(status, f.share(share.id()).status());
        assertEquals(0, rows("SELECT COUNT(*) FROM backups WHERE share_id = ?", share.id()));
    }

    /** §7.2 "Restore with backup size 2 into a share of size 1 raises InvalidShare." */
    @Test
    void s72_restoreOfATwoGibBackupIntoAOneGibShareIs400() {
        String p = project();
        Backup backup = f.backup(f.share(p, 2, ShareStatus.AVAILABLE), 2, BackupStatus.AVAILABLE);
        Share small = f.share(p, 1, ShareStatus.AVAILABLE);
        assertFault(restore(member(p), backup, "{\"restore\": \"" + small.id() + "\"}"), 400, "badRequest",
                "Invalid share: Share size 1 is too small to restore backup of size 2.");
        assertEquals(BackupStatus.AVAILABLE, f.backup(backup.id()).status());
        assertEquals(ShareStatus.AVAILABLE, f.share(small.id()).status());
    }

    /**
     * §7.2 "Restore into a share in deleting raises InvalidShare" (deleting and every other status but
     * available), and §7.5 "restore when the share is reset to error gives 400".
     */
    @ParameterizedTest
    @EnumSource(value = ShareStatus.class, names = "AVAILABLE", mode = EnumSource.Mode.EXCLUDE)
    void s72_restoreIntoAShareThatIsNotAvailableIs400(ShareStatus status) {
        String p = project();
        Backup backup = f.backup(f.share(p, 3, ShareStatus.AVAILABLE), 3, BackupStatus.AVAILABLE);
        Share target = f.share(p, 3, status);
        assertFault(restore(member(p), backup, "{\"restore\": \"" + target.id() + "\"}"), 400, "badRequest",
                "Invalid share: Share to be restored to must be available. Share " + target.id() + " is '"
                        + status.wire() + "'" + status.why() + ".");
        assertEquals(BackupStatus.AVAILABLE, f.backup(backup.id()).status());
        assertEquals(status, f.share(target.id()).status());
        assertEquals(0, rows("SELECT COUNT(*) FROM jobs WHERE share_id = ?", target.id()));
    }

    /** §7.5 "restore when the share is reset to error gives 400" — the source share, in place. */
    @Test
    void s75_restoreInPlaceWhenTheShareWentToErrorIs400() {
        String p = project();
        Share share = f.share(p, 3, ShareStatus.AVAILABLE);
        Backup backup = f.backup(share, 3, BackupStatus.AVAILABLE);
        resetShareStatus(share, ShareStatus.ERROR);
        assertFault(restore(member(p), backup, "{\"restore\": null}"), 400, "badRequest",
                "Invalid share: Share to be restored to must be available. Share " + share.id()
                        + " is 'error' (an admin must reset its status first).");
        assertEquals(BackupStatus.AVAILABLE, f.backup(backup.id()).status());
    }

    /**
     * §7.2 "Restore of a backup in deleting raises InvalidBackup" (and every other status but available;
     * a deleted backup is not found at all).
     */
    @ParameterizedTest
    @EnumSource(value = BackupStatus.class, names = {"AVAILABLE", "DELETED"}, mode = EnumSource.Mode.EXCLUDE)
    void s72_restoreOfABackupThatIsNotAvailableIs400(BackupStatus status) {
        String p = project();
        Share share = f.share(p, 3, ShareStatus.AVAILABLE);
        Backup backup = f.backup(share, 3, status);
        assertFault(restore(member(p), backup, "{\"restore\": null}"), 400, "badRequest",
                "Invalid backup: Backup " + backup.id() + " status must be available.");
        assertEquals(status, f.backup(backup.id()).status());
        assertEquals(ShareStatus.AVAILABLE, f.share(share.id()).status());
    }

    // --- §7.5 tempest ------------------------------------------------------------------------------------

    /**
     * §7.5 "Creating a backup reaches available. Show returns exactly the keys …, plus backup_type at
     * ≥ 2.85", and "Listing after one create returns exactly 1 backup."
     */
    @Test
    void s75_aCreatedBackupReachesAvailableAndShowsExactlyManilasKeys() throws Exception {
        String p = project();
        Share share = f.share(p, 3, ShareStatus.AVAILABLE);
        ApiClient.Response created = create(member(p), share.id());
        assertEquals(202, created.status(), created.toString());
        String id = created.json().path("share_backup").path("id").asText();
        assertEquals(1, api.backups("GET", "/v2/share-backups").token(member(p)).send().json()
                .path("share_backups").size());

        StateRpc.Grant grant = claimCastOf(created);
        new TransitionApplier(f.repos()).apply(Transition.succeeded(grant.jobId(), grant.epoch(), "node-a").withSecret(grant.secret()));

        JsonNode at280 = api.call("GET", "/v2/share-backups/" + id).token(member(p)).version("2.80").experimental()
                .send().json().path("share_backup");
        assertEquals("available", at280.path("status").asText());
        assertEquals(DETAIL_KEYS, keys(at280));
        JsonNode at285 = api.call("GET", "/v2/share-backups/" + id).token(member(p)).version("2.85").experimental()
                .send().json().path("share_backup");
        Set<String> withType = new TreeSet<>(DETAIL_KEYS);
        withType.add("backup_type");
        assertEquals(withType, keys(at285));
        assertEquals(ShareStatus.AVAILABLE, f.share(share.id()).status());
        assertEquals(1, api.backups("GET", "/v2/share-backups").token(member(p)).send().json()
                .path("share_backups").size());
    }

    /**
     * §7.5 "Restore with {"restore": null} returns 202, the backup returns to available, and
     * restore.share_id is the source share."
     */
    @Test
    void s75_anInPlaceRestoreReturnsTheSourceAndTheBackupBecomesAvailableAgain() throws Exception {
        String p = project();
        Share share = f.share(p, 3, ShareStatus.AVAILABLE);
        Backup backup = f.backup(share, 3, BackupStatus.AVAILABLE);
        ApiClient.Response r = restore(member(p), backup, "{\"restore\": null}");
        assertEquals(202, r.status(), r.toString());
        assertEquals(share.id(), r.json().path("restore").path("share_id").asText());
        assertEquals("restoring", api.backups("GET", "/v2/share-backups/" + backup.id()).token(member(p)).send()
                .json().path("share_backup").path("status").asText());

        StateRpc.Grant grant = claimCastOf(r);
        new TransitionApplier(f.repos()).apply(Transition.succeeded(grant.jobId(), grant.epoch(), "node-a").withSecret(grant.secret()));

        JsonNode shown = api.backups("GET", "/v2/share-backups/" + backup.id()).token(member(p)).send().json()
                .path("share_backup");
        assertEquals("available", shown.path("status").asText());
        assertEquals("100", shown.path("restore_progress").asText());
        assertEquals("available", api.call("GET", "/v2/shares/" + share.id()).token(member(p)).send().json()
                .path("share").path("status").asText());
    }

    /** §7.5 "a second create while the share is backup_creating gives 400", both through the API. */
    @Test
    void s75_aSecondCreateWhileTheFirstRunsIs400() {
        String p = project();
        Share share = f.share(p, 3, ShareStatus.AVAILABLE);
        assertEquals(202, create(member(p), share.id()).status());
        assertFault(create(member(p), share.id()), 400, "badRequest", "Share " + share.id() + " is in "
                + "'backup_creating' state, but it must be in 'available' state to create a backup.");
        assertEquals(1, rows("SELECT COUNT(*) FROM backups WHERE share_id = ?", share.id()));
    }

    /**
     * §7.5 "delete of a backup reset to creating gives 400" and "restore of a backup reset to creating gives
     * 400", with the reset done by an admin through the API.
     */
    @Test
    void s75_aBackupResetToCreatingCanBeNeitherDeletedNorRestored() {
        String p = project();
        Share share = f.share(p, 3, ShareStatus.AVAILABLE);
        Backup backup = f.backup(share, 3, BackupStatus.AVAILABLE);
        assertEquals(202, api.backups("POST", "/v2/share-backups/" + backup.id() + "/action").token(ADMIN)
                .body("{\"reset_status\": {\"status\": \"creating\"}}").send().status());

        assertFault(api.backups("DELETE", "/v2/share-backups/" + backup.id()).token(member(p)).send(), 400,
                "badRequest", "Invalid backup: Backup " + backup.id() + " status must be available or error.");
        assertFault(restore(member(p), backup, "{\"restore\": null}"), 400, "badRequest",
                "Invalid backup: Backup " + backup.id() + " status must be available.");
        assertEquals(BackupStatus.CREATING, f.backup(backup.id()).status());
        assertEquals(ShareStatus.AVAILABLE, f.share(share.id()).status());
    }
}
