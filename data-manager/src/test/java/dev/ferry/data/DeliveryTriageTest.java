package dev.ferry.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.messages.BackupRow;
import dev.ferry.messages.DataRpc;
import dev.ferry.messages.Json;
import dev.ferry.messages.OsloEnvelope;
import dev.ferry.messages.Parking;
import dev.ferry.messages.RequestContext;
import dev.ferry.messages.RpcRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeliveryTriageTest {
    private static final BackupRow BACKUP = new BackupRow("b1", "alice", "p1", "s1", 1, null, "manila-data", null,
            null, "100", "0", "available", null, null, null, null, null);
    private static final RequestContext CONTEXT = RequestContext.of("alice", "p1", false, List.of("member"));
    private static final String JSON = "application/json";
    private final DeliveryTriage classic = new DeliveryTriage(DataRpc.TOPIC, 5, false);
    private final DeliveryTriage quorum = new DeliveryTriage(DataRpc.TOPIC, 5, true);

    private static byte[] restore() {
        return DataRpc.restoreBackup(BACKUP, "s2", CONTEXT).toBytes();
    }

    private static ObjectNode restoreInner() {
        return DataRpc.restoreBackup(BACKUP, "s2", CONTEXT).toInner();
    }

    private static String parked(DeliveryTriage.Verdict verdict) {
        return assertInstanceOf(DeliveryTriage.Park.class, verdict).reason();
    }

    @Test
    void aRestoreCastIsProcessed() {
        DeliveryTriage.Verdict verdict = classic.triage(JSON, restore(), Map.of());

        DeliveryTriage.Process process = assertInstanceOf(DeliveryTriage.Process.class, verdict);
        assertEquals(new DataRpc.RestoreBackup(BACKUP, "s2"), process.cast());
        assertEquals(CONTEXT.requestId(), process.request().requestId());
    }

    @Test
    void badJsonIsParked() {
        String reason = parked(classic.triage(JSON, "{not json".getBytes(StandardCharsets.UTF_8), Map.of()));

        assertTrue(reason.startsWith("cannot be read: body is not JSON"), reason);
    }

    @Test
    void aWrongContentTypeIsParked() {
        String reason = parked(classic.triage("text/plain", restore(), Map.of()));

        assertTrue(reason.contains("content type is 'text/plain'"), reason);
    }

    @Test
    void anUnsupportedEnvelopeVersionIsParked() {
        byte[] body = "{\"oslo.version\": \"3.0\", \"oslo.message\": \"{}\"}".getBytes(StandardCharsets.UTF_8);

        String reason = parked(classic.triage(JSON, body, Map.of()));

        assertTrue(reason.contains("unsupported envelope version '3.0'"), reason);
    }

    @Test
    void anUnknownMethodIsParked() {
        byte[] body = RpcRequest.cast("migration_start", Json.object(), "1.0", CONTEXT).toBytes();

        String reason = parked(classic.triage(JSON, body, Map.of()));

        assertTrue(reason.contains("NoSuchMethod: Endpoint does not support RPC method migration_start"), reason);
    }

    @Test
    void anUnsupportedVersionCastIsParked() {
        ObjectNode newer = restoreInner();
        newer.put("version", "1.2");

        String reason = parked(classic.triage(JSON, OsloEnvelope.wrap(newer), Map.of()));

        assertTrue(reason.contains("UnsupportedVersion: Endpoint does not support RPC version 1.2. Attempted method: "
                + "restore_backup"), reason);
    }

    @Test
    void anUnsupportedVersionCallGetsOslosReplyAndIsParked() {
        ObjectNode newer = DataRpc.restoreBackup(BACKUP, "s2", CONTEXT).asCall("reply_abc").toInner();
        newer.put("version", "1.2");

        DeliveryTriage.Verdict verdict = classic.triage(JSON, OsloEnvelope.wrap(newer), Map.of());

        DeliveryTriage.ReplyAndPark reply = assertInstanceOf(DeliveryTriage.ReplyAndPark.class, verdict);
        assertEquals("reply_abc", reply.replyQueue());
        assertEquals(newer.get("_msg_id").asText(), reply.msgId());
        assertEquals("UnsupportedVersion", reply.failure().className());
        assertEquals("oslo_messaging.rpc.dispatcher", reply.failure().module());
        assertEquals("Endpoint does not support RPC version 1.2. Attempted method: restore_backup",
                reply.failure().message());
        assertTrue(reply.reason().contains("1.2") && reply.reason().contains("call"), reply.reason());
    }

    @Test
    void missingAndExtraArgumentsAreParked() {
        ObjectNode missing = restoreInner();
        ((ObjectNode) missing.get("args")).remove("share_id");
        ObjectNode extra = restoreInner();
        ((ObjectNode) extra.get("args")).put("bogus", 1);

        String missingReason = parked(classic.triage(JSON, OsloEnvelope.wrap(missing), Map.of()));
        String extraReason = parked(classic.triage(JSON, OsloEnvelope.wrap(extra), Map.of()));

        assertTrue(missingReason.contains("TypeError: restore_backup() missing 1 required positional argument: "
                + "'share_id'"), missingReason);
        assertTrue(extraReason.contains("TypeError: restore_backup() got an unexpected keyword argument 'bogus'"),
                extraReason);
    }

    @Test
    void aCastDeliveredTooOftenIsParked() {
        assertInstanceOf(DeliveryTriage.Process.class,
                quorum.triage(JSON, restore(), Map.of(Parking.BROKER_DELIVERY_COUNT, 4L)));

        String quorumReason = parked(quorum.triage(JSON, restore(), Map.of(Parking.BROKER_DELIVERY_COUNT, 5L)));

        assertTrue(quorumReason.startsWith("too many deliveries: returned to manila-data 5 times"), quorumReason);
        assertTrue(quorumReason.contains("FERRY_MAX_DELIVERIES is 5"), quorumReason);

        String verifyReason = parked(new DeliveryTriage(DataRpc.VERIFY_TOPIC, 5, true)
                .triage(JSON, restore(), Map.of(Parking.BROKER_DELIVERY_COUNT, 5L)));
        assertTrue(verifyReason.startsWith("too many deliveries: returned to ferry-data-verify 5 times"), verifyReason);
    }

    @Test
    void onClassicQueuesTheNodeCountsItsOwnReturnsAndParksAtTheLimit() {
        byte[] cast = restore();
        for (int i = 1; i <= 4; i++) {
            assertInstanceOf(DeliveryTriage.Process.class, classic.triage(JSON, cast, Map.of()), "delivery " + i);
            assertEquals(new DeliveryTriage.Requeue(i), classic.afterUnansweredClaim(Map.of(), cast, "no reply"));
        }
        String reason = parked(classic.afterUnansweredClaim(Map.of(), cast,
                "no reply to claim_job on 'ferry-state' within 2 s"));

        assertTrue(reason.contains("returned to manila-data 5 times") && reason.contains("within 2 s"), reason);
        assertInstanceOf(DeliveryTriage.Process.class, classic.triage(JSON, restore(), Map.of()),
                "another cast counts on its own");
    }

    @Test
    void onQuorumQueuesTheBrokerCountsAndTheNextDeliveryIsParked() {
        assertEquals(new DeliveryTriage.Requeue(8),
                quorum.afterUnansweredClaim(Map.of(Parking.BROKER_DELIVERY_COUNT, 7L), restore(), "no reply"));
    }

    @Test
    void countsAPublisherWroteAreIgnored() {
        Map<String, Object> both = Map.of(Parking.BROKER_DELIVERY_COUNT, 3L, Parking.DELIVERIES, 9);

        assertEquals(3, quorum.deliveries(both));
        assertEquals(0, classic.deliveries(both), "a classic queue never sets x-delivery-count: it was copied in");
        assertEquals(0, quorum.deliveries(null));
        assertEquals(0, quorum.deliveries(Map.of(Parking.BROKER_DELIVERY_COUNT, "x")));
        assertInstanceOf(DeliveryTriage.Process.class,
                classic.triage(JSON, restore(), Map.of(Parking.BROKER_DELIVERY_COUNT, 9L, Parking.DELIVERIES, 9)));
        assertThrows(IllegalArgumentException.class, () -> new DeliveryTriage(DataRpc.TOPIC, 0, true));
    }
}
