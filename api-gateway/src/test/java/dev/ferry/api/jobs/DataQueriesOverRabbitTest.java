package dev.ferry.api.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.Connection;
import dev.ferry.api.service.BackupContents;
import dev.ferry.api.testing.TestVhost;
import dev.ferry.messages.DataQueryRpc;
import dev.ferry.messages.FailureDetail;
import dev.ferry.messages.RpcFailureException;
import dev.ferry.messages.amqp.AmqpConnector;
import dev.ferry.messages.amqp.QueryServer;
import dev.ferry.messages.amqp.RpcClient;
import dev.ferry.messages.amqp.Topology;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The api-gateway's side of {@code ferry-data-query} against the real RabbitMQ: what a data node's query server
 * answers becomes pages and refusals ({@link BackupContents}), and with no data node consuming the queue a question
 * is {@code Unavailable} once the timeout passes, saying no data node answered (the route answers 503).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DataQueriesOverRabbitTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private TestVhost vhost;
    private Connection gateway;
    private Connection node;
    private RpcClient client;
    private final DataQueries queries = new DataQueries(TIMEOUT);

    @BeforeAll
    void connect() throws Exception {
        vhost = TestVhost.create();
        AmqpConnector connector = new AmqpConnector(vhost.settings());
        gateway = connector.open("test-gateway");
        node = connector.open("test-node");
        client = new RpcClient(gateway, new Topology(vhost.settings()), true);
        queries.use(client);
    }

    @AfterAll
    void close() throws Exception {
        if (client != null) {
            client.close();
        }
        for (Connection c : new Connection[] {gateway, node}) {
            if (c != null && c.isOpen()) {
                c.close();
            }
        }
        if (vhost != null) {
            vhost.close();
        }
    }

    @Test
    void withoutADataNodeAQuestionIsUnavailableAfterTheTimeout() throws Exception {
        try (QueryServer declaresOnly = new QueryServer(node, new Topology(vhost.settings()), "ferry-other-queue", 1,
                request -> null)) {
            long started = System.nanoTime();
            BackupContents.Unavailable none = assertThrows(BackupContents.Unavailable.class,
                    () -> queries.browse("b1", "", 10, 0, "req-1"));
            long waitedMs = (System.nanoTime() - started) / 1_000_000;
            assertTrue(none.getMessage().startsWith("No data node answered within 2 s"), none.getMessage());
            assertTrue(waitedMs >= 1_900 && waitedMs < 10_000, "waited " + waitedMs + " ms");
        }
        DataQueries unconnected = new DataQueries(TIMEOUT);
        BackupContents.Unavailable notConnected = assertThrows(BackupContents.Unavailable.class,
                () -> unconnected.missingPaths("b1", List.of("a"), "req-2"));
        assertTrue(notConnected.getMessage().contains("not connected to RabbitMQ"), notConnected.getMessage());
    }

    @Test
    void aDataNodesAnswersBecomePagesAndRefusals() throws Exception {
        try (QueryServer server = new QueryServer(node, new Topology(vhost.settings()), DataQueryRpc.TOPIC, 2,
                request -> {
                    DataQueryRpc.Query query = DataQueryRpc.parse(request);
                    if (query instanceof DataQueryRpc.MissingPaths missing) {
                        return DataQueryRpc.missingResult(missing.paths().stream()
                                .filter(p -> !p.startsWith("docs")).toList());
                    }
                    DataQueryRpc.Browse browse = (DataQueryRpc.Browse) query;
                    return switch (browse.backupId()) {
                        case "old" -> throw new RpcFailureException(DataQueryRpc.refused(FailureDetail.NO_MANIFEST,
                                "Backup old has no manifest"));
                        case "broken" -> throw new RpcFailureException(DataQueryRpc.refused(
                                FailureDetail.MOUNT_FAILED, "cannot mount the backup repository"));
                        default -> docs(browse.path());
                    };
                })) {
            BackupContents.Page page = queries.browse("b1", "docs", 1, 0, "req-3");
            assertEquals(List.of(new BackupContents.File("docs/a", "file", 3, 0644, 5L, "crc32c:00000000")),
                    page.files());
            assertTrue(page.more());
            assertEquals(List.of("x/y"), queries.missingPaths("b1", List.of("docs/a", "x/y"), "req-4"));

            BackupContents.Refused noManifest = assertThrows(BackupContents.Refused.class,
                    () -> queries.browse("old", "", 1, 0, "req-5"));
            assertTrue(noManifest.noManifest());
            BackupContents.Refused unknown = assertThrows(BackupContents.Refused.class,
                    () -> queries.browse("b1", "photos", 1, 0, "req-6"));
            assertFalse(unknown.noManifest());
            assertTrue(unknown.byRequest(), "an unknown folder is the request's fault");
            assertEquals("no folder 'photos'", unknown.getMessage());
            BackupContents.Refused broken = assertThrows(BackupContents.Refused.class,
                    () -> queries.browse("broken", "", 1, 0, "req-7"));
            assertFalse(broken.byRequest(), "a data node that cannot read is not the request's fault");
        }
    }

    /** The folder "docs" holds one file; any other is unknown, as a driver refuses it. */
    private static JsonNode docs(String path) throws RpcFailureException {
        if (!path.equals("docs")) {
            throw new RpcFailureException(DataQueryRpc.refused(FailureDetail.UNKNOWN_ERROR,
                    "no folder '" + path + "'"));
        }
        return new DataQueryRpc.Page(List.of(new DataQueryRpc.File("docs/a", "file", 3, 0644, 5L, "crc32c:00000000")),
                true).toResult();
    }
}
