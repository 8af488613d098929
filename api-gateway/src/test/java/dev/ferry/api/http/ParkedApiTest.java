package dev.ferry.api.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import dev.ferry.api.ApiConfig;
import dev.ferry.api.ApiGateway;
import dev.ferry.api.model.Backup;
import dev.ferry.api.model.BackupStatus;
import dev.ferry.api.parked.ParkedMessage;
import dev.ferry.api.testing.TestVhost;
import dev.ferry.messages.DataRpc;
import dev.ferry.messages.OsloEnvelope;
import dev.ferry.messages.Parking;
import dev.ferry.messages.RequestContext;
import dev.ferry.messages.amqp.AmqpConnector;
import dev.ferry.messages.amqp.Topology;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The parked-message admin API against a real RabbitMQ, in a vhost of its own: messages are parked as a
 * data node parks them, then listed, shown, replayed (to a queue bound where they came from) and purged.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ParkedApiTest {
    private static final String ADMIN = "admin:admin";
    private static final String CHECK_QUEUE = "replay-check";
    private static final String CHECK_KEY = "manila-data.check";
    private TestVhost vhost;
    private ApiGateway gateway;
    private ApiClient api;
    private Connection amqp;
    private Channel channel;

    @BeforeAll
    void start() throws Exception {
        vhost = TestVhost.create();
        gateway = ApiGateway.start(new ApiConfig("127.0.0.1", 0,
                "jdbc:h2:mem:parked-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "", vhost.settings(),
                "noauth", "test-host"));
        api = new ApiClient(gateway.port());
        amqp = new AmqpConnector(vhost.settings()).open("parked-test");
        channel = amqp.createChannel();
        new Topology(vhost.settings()).declareFerryQueue(channel, Parking.QUEUE);
        channel.queueDeclare(CHECK_QUEUE, false, false, false, null);
        channel.queueBind(CHECK_QUEUE, "openstack", CHECK_KEY);
    }

    @AfterAll
    void stop() throws Exception {
        if (amqp != null) {
            amqp.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (vhost != null) {
            vhost.close();
        }
    }

    @BeforeEach
    void empty() throws Exception {
        channel.queuePurge(Parking.QUEUE);
        channel.queuePurge(CHECK_QUEUE);
    }

    /** A restore_backup cast as Ferry's API sends it, with a known request id. */
    private static byte[] restoreCast(String requestId) {
        Backup backup = new Backup("backup-1", "p1", "alice", "share-1", 1, BackupStatus.AVAILABLE, null, null, "0",
                "0", null, null, null, null, null, null);
        RequestContext context = new RequestContext("alice", "p1", false, List.of("member"), requestId, null, null,
                null);
        return DataRpc.restoreBackup(backup.toRow(), "share-2", context).toBytes();
    }

    /** Parks a message as a data node does: the original's bytes and properties plus the parking headers. */
    private String park(String routingKey, byte[] body, String contentType) throws Exception {
        return park(routingKey, body, contentType, Map.of());
    }

    private String park(String routingKey, byte[] body, String contentType, Map<String, Object> extra)
            throws Exception {
        String id = UUID.randomUUID().toString();
        Map<String, Object> headers = new HashMap<>(extra);
        headers.put("x-custom", "keep");
        headers.put(Parking.ID, id);
        headers.put(Parking.REASON, "unsupported version 9.0 of restore_backup; upgrade the data nodes");
        headers.put(Parking.AT, "2026-11-24T21:00:00Z");
        headers.put(Parking.BY, "node-a");
        headers.put(Parking.ORIGINAL_EXCHANGE, "openstack");
        headers.put(Parking.ORIGINAL_ROUTING_KEY, routingKey);
        headers.put(Parking.ORIGINAL_QUEUE, "manila-data");
        headers.put(Parking.DELIVERIES, 3);
        headers.put(Parking.BROKER_DELIVERY_COUNT, 5L);
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().contentType(contentType)
                .contentEncoding("utf-8").deliveryMode(2).priority(0).headers(headers).build();
        channel.basicPublish("", Parking.QUEUE, properties, body);
        return id;
    }

    private JsonNode list() {
        ApiClient.Response listed = api.call("GET", "/admin/parked").token(ADMIN).send();
        assertEquals(200, listed.status(), listed.toString());
        return listed.json();
    }

    private static List<String> ids(JsonNode items) {
        List<String> ids = new ArrayList<>();
        items.forEach(item -> ids.add(item.path("id").asText()));
        return ids;
    }

    private ApiClient.Response post(String path, String body) {
        return api.call("POST", path).token(ADMIN).body(body).send();
    }

    @Test
    void listingShowsEveryParkedMessageInOrderAndKeepsThemAll() throws Exception {
        byte[] firstBody = restoreCast("req-first");
        String first = park(CHECK_KEY, firstBody, OsloEnvelope.CONTENT_TYPE);
        String second = park(CHECK_KEY, restoreCast("req-second"), OsloEnvelope.CONTENT_TYPE);
        String binary = park(CHECK_KEY, new byte[] {(byte) 0xff, 0, (byte) 0xfe}, "application/octet-stream");

        JsonNode listing = list();
        assertEquals(List.of(first, second, binary), ids(listing.path("parked")));
        assertFalse(listing.path("truncated").asBoolean());
        JsonNode item = listing.path("parked").get(0);
        assertEquals("unsupported version 9.0 of restore_backup; upgrade the data nodes", item.path("reason").asText());
        assertEquals("2026-11-24T21:00:00Z", item.path("parked_at").asText());
        assertEquals("node-a", item.path("parked_by").asText());
        assertEquals("openstack", item.path("original_exchange").asText());
        assertEquals(CHECK_KEY, item.path("original_routing_key").asText());
        assertEquals("manila-data", item.path("original_queue").asText());
        assertEquals("restore_backup", item.path("method").asText());
        assertEquals("req-first", item.path("request_id").asText());
        assertEquals("application/json", item.path("content_type").asText());
        assertEquals(firstBody.length, item.path("size").asInt());
        JsonNode undecodable = listing.path("parked").get(2);
        assertTrue(undecodable.path("method").isNull());
        assertTrue(undecodable.path("request_id").isNull());
        assertEquals(3, undecodable.path("size").asInt());

        assertEquals(List.of(first, second, binary), ids(list().path("parked")), "looking changes nothing");
        await().atMost(Duration.ofSeconds(10)).until(() -> channel.messageCount(Parking.QUEUE) == 3);
    }

    @Test
    void showGivesHeadersPropertiesBodyAndTheDecodedMessage() throws Exception {
        byte[] castBody = restoreCast("req-show");
        String cast = park(CHECK_KEY, castBody, OsloEnvelope.CONTENT_TYPE);
        String binary = park(CHECK_KEY, new byte[] {(byte) 0xff, 0, (byte) 0xfe}, "application/octet-stream");

        ApiClient.Response shown = api.call("GET", "/admin/parked/" + cast).token(ADMIN).send();
        assertEquals(200, shown.status(), shown.toString());
        JsonNode parked = shown.json().path("parked");
        assertEquals(cast, parked.path("id").asText());
        assertEquals("keep", parked.path("headers").path("x-custom").asText());
        assertEquals(3, parked.path("headers").path(Parking.DELIVERIES).asInt());
        assertEquals("node-a", parked.path("headers").path(Parking.BY).asText());
        assertEquals(2, parked.path("properties").path("delivery_mode").asInt());
        assertEquals("utf-8", parked.path("body_encoding").asText());
        assertEquals(new String(castBody, StandardCharsets.UTF_8), parked.path("body").asText());
        assertEquals("restore_backup", parked.path("message").path("method").asText());
        assertEquals("share-2", parked.path("message").path("args").path("share_id").asText());
        assertEquals("req-show", parked.path("message").path("_context_request_id").asText());

        JsonNode raw = api.call("GET", "/admin/parked/" + binary).token(ADMIN).send().json().path("parked");
        assertEquals("base64", raw.path("body_encoding").asText());
        assertArrayEquals(new byte[] {(byte) 0xff, 0, (byte) 0xfe},
                Base64.getDecoder().decode(raw.path("body").asText()));
        assertTrue(raw.path("message").isNull());

        ApiClient.Response missing = api.call("GET", "/admin/parked/no-such-id").token(ADMIN).send();
        assertEquals(404, missing.status());
        assertEquals("No message with id no-such-id is parked in ferry-parked. List them with GET /admin/parked.",
                missing.message());
        await().atMost(Duration.ofSeconds(10)).until(() -> channel.messageCount(Parking.QUEUE) == 2);
    }

    @Test
    void replaySendsMessagesBackWhereTheyCameFromAndPurgeRemovesThem() throws Exception {
        byte[] aBody = restoreCast("req-a");
        String a = park(CHECK_KEY, aBody, OsloEnvelope.CONTENT_TYPE,
                Map.of(ParkedMessage.ORIGINAL_EXPIRATION, "600000"));
        String b = park(CHECK_KEY, restoreCast("req-b"), OsloEnvelope.CONTENT_TYPE);
        String unroutable = park("manila-data.nowhere", restoreCast("req-c"), OsloEnvelope.CONTENT_TYPE);

        ApiClient.Response replayed = post("/admin/parked/replay",
                "{\"ids\": [\"" + a + "\", \"missing\", \"" + unroutable + "\"]}");
        assertEquals(200, replayed.status(), replayed.toString());
        assertEquals(List.of(a), texts(replayed.json().path("replayed")));
        assertEquals(List.of("missing"), texts(replayed.json().path("not_found")));
        JsonNode failed = replayed.json().path("failed");
        assertEquals(1, failed.size());
        assertEquals(unroutable, failed.get(0).path("id").asText());
        assertTrue(failed.get(0).path("reason").asText().contains("could not route"), failed.toString());

        GetResponse arrived = await().atMost(Duration.ofSeconds(10))
                .until(() -> channel.basicGet(CHECK_QUEUE, true), r -> r != null);
        assertArrayEquals(aBody, arrived.getBody());
        assertEquals(OsloEnvelope.CONTENT_TYPE, arrived.getProps().getContentType());
        assertEquals("600000", arrived.getProps().getExpiration(), "the original time to live is back");
        Map<String, Object> headers = arrived.getProps().getHeaders();
        assertNotNull(headers);
        assertEquals("keep", headers.get("x-custom").toString());
        assertTrue(headers.keySet().stream().noneMatch(h -> h.startsWith("x-ferry-")), headers.toString());
        assertFalse(headers.containsKey(Parking.BROKER_DELIVERY_COUNT), headers.toString());
        assertEquals(List.of(b, unroutable), ids(list().path("parked")));

        ApiClient.Response all = post("/admin/parked/replay", "{\"all\": true}");
        assertEquals(List.of(b), texts(all.json().path("replayed")));
        assertEquals(List.of(unroutable), ids(all.json().path("failed")));
        await().atMost(Duration.ofSeconds(10)).until(() -> channel.messageCount(CHECK_QUEUE) == 1);

        ApiClient.Response purged = post("/admin/parked/purge", "{\"ids\": [\"" + unroutable + "\", \"missing\"]}");
        assertEquals(200, purged.status(), purged.toString());
        assertEquals(List.of(unroutable), texts(purged.json().path("purged")));
        assertEquals(List.of("missing"), texts(purged.json().path("not_found")));
        assertEquals(List.of(), ids(list().path("parked")));
        ApiClient.Response nothing = post("/admin/parked/purge", "{\"all\": true}");
        assertEquals(0, nothing.json().path("purged").size());
    }

    @Test
    void badSelectionsAre400AndOnlyAdminsMayAct() throws Exception {
        String id = park(CHECK_KEY, restoreCast("req-bad"), OsloEnvelope.CONTENT_TYPE);
        for (String body : List.of("", "[]", "{}", "{\"ids\": []}", "{\"ids\": [1]}", "{\"ids\": \"x\"}",
                "{\"all\": \"yes\"}", "{\"all\": true, \"ids\": [\"x\"]}", "not json")) {
            for (String action : List.of("replay", "purge")) {
                ApiClient.Response bad = post("/admin/parked/" + action, body);
                assertEquals(400, bad.status(), action + " " + body + ": " + bad);
                assertEquals("badRequest", bad.fault());
            }
        }
        ApiClient.Response refused = api.call("POST", "/admin/parked/purge").token("alice:p1")
                .body("{\"all\": true}").send();
        assertEquals(403, refused.status());
        assertEquals(List.of(id), ids(list().path("parked")), "nothing was purged");
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
