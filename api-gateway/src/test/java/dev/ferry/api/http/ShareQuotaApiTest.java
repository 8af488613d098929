package dev.ferry.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.ApiConfig;
import dev.ferry.api.ApiGateway;
import dev.ferry.api.ApiLimits;
import dev.ferry.api.db.ShareRepository;
import dev.ferry.api.model.Backup;
import dev.ferry.api.model.BackupStatus;
import dev.ferry.api.model.Share;
import dev.ferry.api.model.ShareStatus;
import dev.ferry.api.testing.Engine;
import dev.ferry.api.testing.Fixtures;
import dev.ferry.api.testing.OnBothDatabases;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Per-project share quotas (FERRY_QUOTA_SHARES, FERRY_QUOTA_GIGABYTES, like Manila's quota set) over HTTP, on H2 and
 * PostgreSQL, with a quota of 3 shares and 10 GiB: create, manage, extend and share-from-backup count and answer 413
 * with Manila's fault beyond it; delete, unmanage and shrink give room back; concurrent creates never overshoot.
 * Each test uses a project of its own on the engine's one gateway.
 */
class ShareQuotaApiTest extends OnBothDatabases {
    private static final int SHARES = 3;
    private static final int GIGABYTES = 10;
    private static final String ADMIN = "admin:ops";
    private static final String COUNT_EXCEEDED = "ShareLimitExceeded: Maximum number of shares allowed (3) either per "
            + "project/user or share type quota is exceeded. Delete shares no longer needed, or ask an administrator "
            + "to raise FERRY_QUOTA_SHARES.";
    private final Map<Engine, Running> running = new EnumMap<>(Engine.class);

    /** A gateway without a broker on the engine's database, and fixtures on the same database. */
    private record Running(ApiGateway gateway, ApiClient api, Fixtures f) {
    }

    private Running on(Engine engine) throws Exception {
        Running run = running.get(engine);
        if (run == null) {
            run = start(engine, new ApiLimits(10, 1000, 60, SHARES, GIGABYTES));
            running.put(engine, run);
        }
        return run;
    }

    private Running start(Engine engine, ApiLimits limits) throws Exception {
        Fixtures f = new Fixtures(dbs.fresh(engine));
        String[] db = dbs.connection(engine);
        ApiGateway gateway = ApiGateway.start(new ApiConfig("127.0.0.1", 0, db[0], db[1], db[2], null, "noauth",
                "test-host").withShareBaseExport("10.0.0.9:/exports/ferry").withLimits(limits));
        return new Running(gateway, new ApiClient(gateway.port()), f);
    }

    @AfterAll
    void stopGateways() {
        running.values().forEach(r -> r.gateway().close());
    }

    private static ApiClient.Call create(Running run, String project, int size) {
        return run.api().call("POST", "/v2/shares").version("2.91").token("alice:" + project)
                .body("{\"share\": {\"share_proto\": \"NFS\", \"size\": " + size + "}}");
    }

    private static ApiClient.Response action(Running run, String project, Share share, String body) {
        return run.api().call("POST", "/v2/shares/" + share.id() + "/action").token("alice:" + project).body(body)
                .send();
    }

    private static ShareRepository.Usage usage(Running run, String project) {
        return run.f().repos().database().read(c -> run.f().repos().shares().usage(c, project));
    }

    private static void assertGigabytesExceeded(ApiClient.Response r, int requested, int consumed) {
        assertOverLimit(r, "ShareSizeExceedsAvailableQuota: Requested share exceeds allowed project/user or share "
                + "type gigabytes quota. Requested " + requested + "G, quota is " + GIGABYTES + "G and " + consumed
                + "G has been consumed. Delete or shrink shares no longer needed, or ask an administrator to raise "
                + "FERRY_QUOTA_GIGABYTES.");
    }

    private static void assertOverLimit(ApiClient.Response r, String message) {
        assertEquals(413, r.status(), r.toString());
        assertEquals("overLimit", r.fault(), r.toString());
        assertEquals(message, r.message());
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void theFourthShareIs413UntilADeleteGivesRoomBack(Engine engine) throws Exception {
        Running run = on(engine);
        Share managed = run.f().share("q-count", 1, ShareStatus.AVAILABLE);
        assertEquals(200, create(run, "q-count", 1).send().status());
        assertEquals(200, create(run, "q-count", 1).send().status());

        assertOverLimit(create(run, "q-count", 1).send(), COUNT_EXCEEDED);
        assertEquals(new ShareRepository.Usage(3, 3), usage(run, "q-count"), "the refused share was not added");
        assertEquals(200, create(run, "q-other", 1).send().status(), "another project has its own quota");

        assertEquals(202, run.api().call("DELETE", "/v2/shares/" + managed.id()).token("alice:q-count").send()
                .status());
        assertEquals(200, create(run, "q-count", 1).send().status(), "the deleted share's place is free again");
        assertOverLimit(create(run, "q-count", 1).send(), COUNT_EXCEEDED);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aCreateBeyondTheGigabytesIs413(Engine engine) throws Exception {
        Running run = on(engine);
        assertGigabytesExceeded(create(run, "q-gb", 11).send(), 11, 0);
        assertEquals(new ShareRepository.Usage(0, 0), usage(run, "q-gb"));
        assertEquals(200, create(run, "q-gb", 7).send().status());
        assertGigabytesExceeded(create(run, "q-gb", 4).send(), 4, 7);
        assertEquals(200, create(run, "q-gb", 3).send().status(), "exactly the quota is allowed");
        assertEquals(new ShareRepository.Usage(2, 10), usage(run, "q-gb"));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void anExtendBeyondTheGigabytesIs413AndShrinkGivesRoomBack(Engine engine) throws Exception {
        Running run = on(engine);
        Share share = run.f().share("q-ext", 8, ShareStatus.AVAILABLE);

        assertGigabytesExceeded(action(run, "q-ext", share, "{\"extend\": {\"new_size\": 11}}"), 3, 8);
        assertEquals(8, run.f().share(share.id()).size(), "the refused extend changed nothing");
        assertEquals(202, action(run, "q-ext", share, "{\"extend\": {\"new_size\": 10}}").status());
        assertEquals(10, run.f().share(share.id()).size());
        assertGigabytesExceeded(create(run, "q-ext", 1).send(), 1, 10);

        assertEquals(202, action(run, "q-ext", share, "{\"shrink\": {\"new_size\": 6}}").status());
        assertEquals(200, create(run, "q-ext", 4).send().status(), "the shrunk GiB are free again");
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aShareFromABackupCounts(Engine engine) throws Exception {
        Running run = on(engine);
        Share source = run.f().share("q-backup", 6, ShareStatus.AVAILABLE);
        Backup backup = run.f().backup(source, 6, BackupStatus.AVAILABLE);
        String fromBackup = "{\"share\": {\"share_proto\": \"NFS\", \"backup_id\": \"" + backup.id() + "\"}}";

        ApiClient.Response refused = run.api().call("POST", "/v2/shares").version("2.91").token("alice:q-backup")
                .body(fromBackup).send();
        assertGigabytesExceeded(refused, 6, 6);
        assertEquals(BackupStatus.AVAILABLE, run.f().backup(backup.id()).status(), "the backup was not taken");
        assertEquals(new ShareRepository.Usage(1, 6), usage(run, "q-backup"));

        assertEquals(202, action(run, "q-backup", source, "{\"shrink\": {\"new_size\": 4}}").status());
        ApiClient.Response created = run.api().call("POST", "/v2/shares").version("2.91").token("alice:q-backup")
                .body(fromBackup).send();
        assertEquals(200, created.status(), created.toString());
        assertEquals(6, created.json().path("share").path("size").asInt());
        assertEquals(BackupStatus.RESTORING, run.f().backup(backup.id()).status());
        assertEquals(new ShareRepository.Usage(2, 10), usage(run, "q-backup"));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void manageCountsInTheSharesProjectAndUnmanageGivesRoomBack(Engine engine) throws Exception {
        Running run = on(engine);
        run.f().share("q-manage", 5, ShareStatus.AVAILABLE);
        String body = "{\"share\": {\"protocol\": \"NFS\", \"export_path\": \"10.0.0.5:/exports/q-manage-%s\", "
                + "\"size\": %d, \"project_id\": \"q-manage\"}}";
        ApiClient.Response refused = run.api().call("POST", "/v2/shares/manage").version("2.91").token(ADMIN)
                .body(body.formatted("a", 6)).send();
        assertGigabytesExceeded(refused, 6, 5);
        assertEquals(new ShareRepository.Usage(1, 5), usage(run, "q-manage"));

        ApiClient.Response managed = run.api().call("POST", "/v2/shares/manage").version("2.91").token(ADMIN)
                .body(body.formatted("a", 5)).send();
        assertEquals(200, managed.status(), managed.toString());
        assertEquals(new ShareRepository.Usage(2, 10), usage(run, "q-manage"));
        assertGigabytesExceeded(create(run, "q-manage", 1).send(), 1, 10);

        String id = managed.json().path("share").path("id").asText();
        assertEquals(202, run.api().call("POST", "/v2/shares/" + id + "/action").token(ADMIN)
                .body("{\"unmanage\": null}").send().status());
        assertEquals(200, create(run, "q-manage", 5).send().status(), "the unmanaged share's GiB are free again");
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void concurrentCreatesNeverOvershoot(Engine engine) throws Exception {
        Running run = on(engine);
        int requests = 20;
        ExecutorService pool = Executors.newFixedThreadPool(requests);
        CountDownLatch ready = new CountDownLatch(requests);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<ApiClient.Response>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < requests; i++) {
                ApiClient.Call call = create(run, "q-race", 1);
                answers.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return call.send();
                }));
            }
            assertTrue(ready.await(30, TimeUnit.SECONDS), "the threads did not all start");
            go.countDown();
            Map<Integer, Integer> byStatus = new TreeMap<>();
            for (Future<ApiClient.Response> answer : answers) {
                ApiClient.Response r = answer.get(60, TimeUnit.SECONDS);
                byStatus.merge(r.status(), 1, Integer::sum);
                if (r.status() == 413) {
                    assertEquals(COUNT_EXCEEDED, r.message());
                }
            }
            assertEquals(Map.of(200, SHARES, 413, requests - SHARES), byStatus);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(new ShareRepository.Usage(SHARES, SHARES), usage(run, "q-race"));
    }

    @Test
    void minusOneIsUnlimitedAndTheDefaultsAreManilas() throws Exception {
        ApiLimits defaults = ApiConfig.fromEnv(Map.of("FERRY_AUTH", "noauth")).limits();
        assertEquals(50, defaults.shares());
        assertEquals(1000, defaults.gigabytes());
        ApiLimits unlimited = ApiConfig.fromEnv(Map.of("FERRY_AUTH", "noauth", "FERRY_QUOTA_SHARES", "-1",
                "FERRY_QUOTA_GIGABYTES", "-1"))
                .limits();
        assertEquals(-1, unlimited.shares());
        assertEquals(-1, unlimited.gigabytes());

        Running limited = running.remove(Engine.H2); // its database is about to be emptied
        if (limited != null) {
            limited.gateway().close();
        }
        Running run = start(Engine.H2, unlimited);
        try {
            for (int i = 0; i < 50; i++) {
                run.f().share("q-free", 20, ShareStatus.AVAILABLE);
            }
            ApiClient.Response r = create(run, "q-free", 500).send();
            assertEquals(200, r.status(), "past the default 50 shares and 1000 GiB: " + r);
            assertEquals(new ShareRepository.Usage(51, 1500), usage(run, "q-free"));
        } finally {
            run.gateway().close();
        }
    }
}
