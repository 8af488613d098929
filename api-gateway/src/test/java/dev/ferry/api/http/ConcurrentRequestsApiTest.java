package dev.ferry.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.ApiConfig;
import dev.ferry.api.ApiGateway;
import dev.ferry.api.db.Database;
import dev.ferry.api.model.Backup;
import dev.ferry.api.model.BackupStatus;
import dev.ferry.api.model.Job;
import dev.ferry.api.model.Share;
import dev.ferry.api.model.ShareStatus;
import dev.ferry.api.testing.Engine;
import dev.ferry.api.testing.Fixtures;
import dev.ferry.api.testing.OnBothDatabases;
import dev.ferry.messages.JobKind;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Fifty requests that compete for one share, sent at the same instant over real HTTP to an api-gateway
 * on H2 and on PostgreSQL: exactly one is accepted (202) and every other one gets the 400 Manila gives
 * for the status it lost to (DESIGN §2.1: "two concurrent restores can never both be accepted").
 */
class ConcurrentRequestsApiTest extends OnBothDatabases {
    private static final int REQUESTS = 50;

    /** The gateway on the engine's (emptied) database, without a broker, and fixtures on the same database. */
    private record Running(ApiGateway gateway, ApiClient api, Fixtures f, Database db) implements AutoCloseable {
        @Override
        public void close() {
            gateway.close();
        }
    }

    private Running start(Engine engine) throws Exception {
        Database db = dbs.fresh(engine);
        String[] connection = dbs.connection(engine);
        ApiGateway gateway = ApiGateway.start(new ApiConfig("127.0.0.1", 0, connection[0], connection[1],
                connection[2], null, "noauth", "test-host"));
        return new Running(gateway, new ApiClient(gateway.port()), new Fixtures(db), db);
    }

    /** Sends the fifty requests once all fifty threads stand ready, and returns the answers. */
    private static List<ApiClient.Response> race(IntFunction<ApiClient.Call> request) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(REQUESTS);
        CountDownLatch ready = new CountDownLatch(REQUESTS);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<ApiClient.Response>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < REQUESTS; i++) {
                ApiClient.Call call = request.apply(i);
                answers.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return call.send();
                }));
            }
            assertTrue(ready.await(30, TimeUnit.SECONDS), "the threads did not all start");
            go.countDown();
            List<ApiClient.Response> responses = new ArrayList<>();
            for (Future<ApiClient.Response> answer : answers) {
                responses.add(answer.get(60, TimeUnit.SECONDS));
            }
            return responses;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Exactly one 202, and 49 badRequest faults, each with one of {@code messages}. */
    private static ApiClient.Response assertOneAcceptedRestRefused(List<ApiClient.Response> responses,
                                                                   String... messages) {
        Map<Integer, Integer> byStatus = new TreeMap<>();
        responses.forEach(r -> byStatus.merge(r.status(), 1, Integer::sum));
        assertEquals(Map.of(202, 1, 400, REQUESTS - 1), byStatus, responses.toString());
        ApiClient.Response accepted = null;
        for (ApiClient.Response r : responses) {
            if (r.status() == 202) {
                accepted = r;
            } else {
                assertEquals("badRequest", r.fault(), r.toString());
                assertTrue(List.of(messages).contains(r.message()), r.toString());
            }
        }
        return accepted;
    }

    private static int count(Database db, String sql, String arg) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                s.setString(1, arg);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    private static int unsentCasts(Fixtures f) {
        return f.repos().database().read(c -> f.repos().outbox().unsent(c, 1000)).size();
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void fiftyRestoresOfDistinctBackupsIntoOneShareAcceptExactlyOne(Engine engine) throws Exception {
        try (Running run = start(engine)) {
            Fixtures f = run.f();
            Share source = f.share("p1", 10, ShareStatus.AVAILABLE);
            Share target = f.share("p1", 10, ShareStatus.AVAILABLE);
            List<Backup> backups = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                backups.add(f.backup(source, 10, BackupStatus.AVAILABLE));
            }

            List<ApiClient.Response> responses = race(i -> run.api()
                    .backups("POST", "/v2/share-backups/" + backups.get(i).id() + "/action")
                    .token("user" + i + ":p1").body("{\"restore\": \"" + target.id() + "\"}"));

            ApiClient.Response accepted = assertOneAcceptedRestRefused(responses,
                    "Invalid share: Share to be restored to must be available. Share " + target.id()
                            + " is 'backup_restoring' (a backup is being restored into it; retry when it is available).");
            String winner = accepted.json().path("restore").path("backup_id").asText();
            assertEquals(target.id(), accepted.json().path("restore").path("share_id").asText());
            Share restoring = f.share(target.id());
            assertEquals(ShareStatus.BACKUP_RESTORING, restoring.status());
            assertEquals(winner, restoring.sourceBackupId());
            assertEquals(ShareStatus.AVAILABLE, f.share(source.id()).status());
            for (Backup backup : backups) {
                assertEquals(backup.id().equals(winner) ? BackupStatus.RESTORING : BackupStatus.AVAILABLE,
                        f.backup(backup.id()).status(), "a losing backup's status change was rolled back");
            }
            assertEquals(1, count(run.db(), "SELECT COUNT(*) FROM jobs WHERE share_id = ?", target.id()));
            List<Job> jobs = f.repos().database().read(c -> f.repos().jobs().forBackup(c, JobKind.RESTORE, winner));
            assertEquals(1, jobs.size());
            assertEquals(accepted.header("X-OpenStack-Request-Id"), jobs.get(0).requestId());
            assertEquals(1, unsentCasts(f));
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void fiftyInPlaceRestoresOfOneBackupAcceptExactlyOne(Engine engine) throws Exception {
        try (Running run = start(engine)) {
            Fixtures f = run.f();
            Share source = f.share("p1", 10, ShareStatus.AVAILABLE);
            Backup backup = f.backup(source, 10, BackupStatus.AVAILABLE);

            List<ApiClient.Response> responses = race(i -> run.api()
                    .backups("POST", "/v2/share-backups/" + backup.id() + "/action")
                    .token("user" + i + ":p1").body("{\"restore\": null}"));

            // A loser that read the backup before the winner committed and the share after it fails on the
            // share's status, as Manila's sequential checks (backup, then share) would in that interleaving.
            ApiClient.Response accepted = assertOneAcceptedRestRefused(responses,
                    "Invalid backup: Backup " + backup.id() + " status must be available.",
                    "Invalid share: Share to be restored to must be available. Share " + source.id()
                            + " is 'backup_restoring' (a backup is being restored into it; retry when it is available).");
            assertEquals(source.id(), accepted.json().path("restore").path("share_id").asText());
            assertEquals(BackupStatus.RESTORING, f.backup(backup.id()).status());
            assertEquals(ShareStatus.BACKUP_RESTORING, f.share(source.id()).status());
            assertEquals(1, f.repos().database()
                    .read(c -> f.repos().jobs().forBackup(c, JobKind.RESTORE, backup.id())).size());
            assertEquals(1, unsentCasts(f));
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void fiftyBackupCreatesOfOneShareAcceptExactlyOne(Engine engine) throws Exception {
        try (Running run = start(engine)) {
            Fixtures f = run.f();
            Share share = f.share("p1", 10, ShareStatus.AVAILABLE);

            List<ApiClient.Response> responses = race(i -> run.api().backups("POST", "/v2/share-backups")
                    .token("user" + i + ":p1")
                    .body("{\"share_backup\": {\"backup_options\": null, \"description\": null, \"name\": \"b" + i
                            + "\", \"share_id\": \"" + share.id() + "\"}}"));

            ApiClient.Response accepted = assertOneAcceptedRestRefused(responses, "Share " + share.id()
                    + " is in 'backup_creating' state, but it must be in 'available' state to create a backup.");
            String created = accepted.json().path("share_backup").path("id").asText();
            assertEquals(ShareStatus.BACKUP_CREATING, f.share(share.id()).status());
            assertEquals(BackupStatus.CREATING, f.backup(created).status());
            assertEquals(1, count(run.db(), "SELECT COUNT(*) FROM backups WHERE share_id = ?", share.id()),
                    "a refused create leaves no backup row behind");
            assertEquals(1, count(run.db(), "SELECT COUNT(*) FROM jobs WHERE share_id = ?", share.id()));
            assertEquals(1, f.repos().database()
                    .read(c -> f.repos().jobs().forBackup(c, JobKind.CREATE_BACKUP, created)).size());
            assertEquals(1, unsentCasts(f));
            ApiClient.Response listed = run.api().backups("GET", "/v2/share-backups?share_id=" + share.id())
                    .send();
            assertEquals(1, listed.json().path("share_backups").size(), listed.toString());
        }
    }
}
