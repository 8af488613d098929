package dev.ferry.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.Connection;
import dev.ferry.drivers.BackupDriver;
import dev.ferry.drivers.BackupRequest;
import dev.ferry.drivers.BrowseEntry;
import dev.ferry.drivers.BrowsePage;
import dev.ferry.drivers.Cancellation;
import dev.ferry.drivers.CopyReport;
import dev.ferry.drivers.DriverException;
import dev.ferry.drivers.ProgressListener;
import dev.ferry.drivers.RestoreRequest;
import dev.ferry.messages.DataQueryRpc;
import dev.ferry.messages.FailureDetail;
import dev.ferry.messages.RequestContext;
import dev.ferry.messages.RpcFailureException;
import dev.ferry.messages.amqp.AmqpConnector;
import dev.ferry.messages.amqp.QueryServer;
import dev.ferry.messages.amqp.RpcClient;
import dev.ferry.messages.amqp.Topology;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The {@code ferry-data-query} RPC against the real RabbitMQ: a data node's query server with a fake driver
 * answers the api-gateway's calls (browse, missing_paths) through the topic exchange to a reply queue bound by its
 * name; a driver's refusal comes back with its detail; a slow query does not hold up the next.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackupQueriesOverRabbitTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final long MTIME = 1_709_294_400_000_000_000L;
    private final CountDownLatch slowMayFinish = new CountDownLatch(1);
    private final CountDownLatch slowStarted = new CountDownLatch(1);
    private BrokerVhost vhost;
    private Connection nodeConnection;
    private Connection gatewayConnection;
    private QueryServer server;
    private RpcClient client;

    /** b1 holds docs/ with a.txt and b.txt; "old" has no manifest; folder "slow" answers when the test lets it. */
    private final BackupDriver driver = new BackupDriver() {
        @Override
        public boolean useDataManager() {
            return true;
        }

        @Override
        public boolean supportRestoreToTarget() {
            return true;
        }

        @Override
        public boolean supportsRestore(String backupProtocol, String targetProtocol) {
            return true;
        }

        @Override
        public boolean supportsBackup(String shareProtocol) {
            return true;
        }

        @Override
        public CopyReport backup(BackupRequest request, ProgressListener progress, Cancellation cancellation) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CopyReport restore(RestoreRequest request, ProgressListener progress, Cancellation cancellation) {
            throw new UnsupportedOperationException();
        }

        @Override
        public BrowsePage browse(String backupId, String folder, int limit, long offset) throws DriverException {
            if (backupId.equals("old")) {
                return BackupDriver.super.browse(backupId, folder, limit, offset);
            }
            if (folder.equals("slow")) {
                slowStarted.countDown();
                try {
                    slowMayFinish.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return new BrowsePage(List.of(), false);
            }
            if (!folder.equals("docs")) {
                throw new DriverException(FailureDetail.UNKNOWN_ERROR, "Backup " + backupId + " has no folder '"
                        + folder + "'", false, null);
            }
            List<BrowseEntry> all = List.of(new BrowseEntry("docs/a.txt", "file", 5, 0644, MTIME, "crc32c:0000abcd"),
                    new BrowseEntry("docs/b.txt", "file", 7, 0600, MTIME + 1, "crc32c:1234ffff"));
            int from = (int) Math.min(offset, all.size());
            int to = Math.min(all.size(), from + limit);
            return new BrowsePage(all.subList(from, to), to < all.size());
        }

        @Override
        public List<String> missingPaths(String backupId, List<String> paths) throws DriverException {
            if (backupId.equals("old")) {
                return BackupDriver.super.missingPaths(backupId, paths);
            }
            Set<String> held = Set.of("docs", "docs/a.txt", "docs/b.txt");
            return paths.stream().filter(p -> !held.contains(p)).toList();
        }
    };

    @BeforeAll
    void start() throws Exception {
        vhost = BrokerVhost.create();
        AmqpConnector connector = new AmqpConnector(vhost.settings());
        Topology topology = new Topology(vhost.settings());
        nodeConnection = connector.open("test-data-node");
        gatewayConnection = connector.open("test-gateway");
        server = new QueryServer(nodeConnection, topology, DataQueryRpc.TOPIC, DataNode.QUERY_THREADS,
                new BackupQueryHandler(driver)::handle);
        client = new RpcClient(gatewayConnection, topology, true);
    }

    @AfterAll
    void stop() throws Exception {
        slowMayFinish.countDown();
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
        for (Connection c : new Connection[] {nodeConnection, gatewayConnection}) {
            if (c != null && c.isOpen()) {
                c.close();
            }
        }
        if (vhost != null) {
            vhost.close();
        }
    }

    private static RequestContext context() {
        return new RequestContext(null, null, false, List.of(), "req-query-test", null, null, null);
    }

    private JsonNode call(DataQueryRpc.Query query) throws Exception {
        return client.call(DataQueryRpc.TOPIC, query.toRequest(context()), TIMEOUT);
    }

    @Test
    void browseAnswersOnePageAtATime() throws Exception {
        DataQueryRpc.Page first = DataQueryRpc.Page.fromResult(call(new DataQueryRpc.Browse("b1", "docs", 1, 0)));
        assertEquals(List.of(new DataQueryRpc.File("docs/a.txt", "file", 5, 0644, MTIME, "crc32c:0000abcd")),
                first.files());
        assertTrue(first.more());

        DataQueryRpc.Page second = DataQueryRpc.Page.fromResult(call(new DataQueryRpc.Browse("b1", "docs", 1, 1)));
        assertEquals("docs/b.txt", second.files().get(0).path());
        assertEquals(MTIME + 1, second.files().get(0).mtimeNanos());
        assertFalse(second.more());
    }

    @Test
    void missingPathsNamesWhatTheManifestDoesNotHold() throws Exception {
        JsonNode result = call(new DataQueryRpc.MissingPaths("b1", List.of("docs/a.txt", "nope", "docs", "x/y")));
        assertEquals(List.of("nope", "x/y"), DataQueryRpc.missingFromResult(result));
    }

    @Test
    void aDriversRefusalComesBackWithItsDetail() {
        RpcFailureException noManifest = assertThrows(RpcFailureException.class,
                () -> call(new DataQueryRpc.Browse("old", "", 10, 0)));
        assertEquals(FailureDetail.NO_MANIFEST, DataQueryRpc.refusalDetail(noManifest.failure()));
        assertTrue(noManifest.failure().message().contains("has no manifest"), noManifest.failure().message());

        RpcFailureException oldPaths = assertThrows(RpcFailureException.class,
                () -> call(new DataQueryRpc.MissingPaths("old", List.of("a"))));
        assertEquals(FailureDetail.NO_MANIFEST, DataQueryRpc.refusalDetail(oldPaths.failure()));

        RpcFailureException unknown = assertThrows(RpcFailureException.class,
                () -> call(new DataQueryRpc.Browse("b1", "photos", 10, 0)));
        assertEquals(FailureDetail.UNKNOWN_ERROR, DataQueryRpc.refusalDetail(unknown.failure()));
        assertEquals("Backup b1 has no folder 'photos'", unknown.failure().message());
    }

    @Test
    void aSlowQueryDoesNotHoldUpTheNext() throws Exception {
        CompletableFuture<JsonNode> slow = CompletableFuture.supplyAsync(() -> {
            try {
                return call(new DataQueryRpc.Browse("b1", "slow", 10, 0));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(slowStarted.await(10, TimeUnit.SECONDS), "the slow query reached the driver");

        DataQueryRpc.Page quick = DataQueryRpc.Page.fromResult(call(new DataQueryRpc.Browse("b1", "docs", 10, 0)));
        assertEquals(2, quick.files().size());
        assertFalse(slow.isDone(), "answered while the slow query still ran");

        slowMayFinish.countDown();
        assertEquals(0, slow.get(10, TimeUnit.SECONDS).path("files").size());
    }
}
