package dev.ferry.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.messages.BackupRow;
import dev.ferry.messages.DataRpc;
import dev.ferry.messages.JobKind;
import dev.ferry.messages.OsloEnvelope;
import dev.ferry.messages.Parking;
import dev.ferry.messages.RequestContext;
import dev.ferry.messages.RpcRequest;
import dev.ferry.messages.StateRpc;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.MDC;

/**
 * What a slot does with each message between receiving and settling it: claim, ack, run, or drop, park, return.
 * No broker: the claims, the runner, the failure replies and the settlement of the delivery are fakes that write
 * down, in order, what the handler asked of them.
 */
class CastHandlerTest {
    private static final BackupRow BACKUP = new BackupRow("b1", "alice", "p1", "s1", 1, null, "manila-data", null,
            null, "100", "0", "available", null, null, null, null, null);
    private static final RequestContext CONTEXT = RequestContext.of("alice", "p1", false, List.of("member"));
    private static final String JSON = "application/json";

    /** Everything the fakes were asked, in order. */
    private final List<String> events = new ArrayList<>();
    private final List<StateRpc.Claim> claimed = new ArrayList<>();
    private final Deque<Object> claimAnswers = new ArrayDeque<>();
    private final RunningJobs running = new RunningJobs();
    private String requestIdWhileRunning;
    private boolean ackFails;
    private boolean parkFails;

    private final CastHandler.Claims claims = (claim, context) -> {
        claimed.add(claim);
        events.add("claim " + ClaimClient.describe(claim) + " as " + context.userId());
        Object answer = claimAnswers.isEmpty() ? grant("job-" + claimed.size()) : claimAnswers.poll();
        if (answer instanceof ClaimClient.ClaimRefusedException refused) {
            throw refused;
        }
        if (answer instanceof IOException unanswered) {
            throw unanswered;
        }
        if (answer instanceof TimeoutException unanswered) {
            throw unanswered;
        }
        return (StateRpc.Grant) answer;
    };

    private final CastHandler.Runner runner = grant -> {
        requestIdWhileRunning = MDC.get("request_id");
        events.add("run " + grant.jobId());
    };

    private final CastHandler.Replies replies = (replyQueue, msgId, failure) ->
            events.add("reply " + failure.className() + " to " + replyQueue + " for " + msgId);

    private final CastHandler.Settlement delivery = new CastHandler.Settlement() {
        @Override
        public boolean ack() {
            events.add("ack");
            return !ackFails;
        }

        @Override
        public void requeue() {
            events.add("requeue");
        }

        @Override
        public void park(String reason) throws IOException {
            if (parkFails) {
                events.add("park failed");
                throw new IOException("no queue took the message to 'ferry-parked'");
            }
            events.add("park: " + reason);
        }
    };

    private CastHandler handler(DeliveryTriage triage) {
        return new CastHandler("node-1-slot-0", "node-1", triage, claims, runner, replies, running, Duration.ZERO);
    }

    private final CastHandler handler = handler(new DeliveryTriage(DataRpc.TOPIC, 5, false));

    private static StateRpc.Grant grant(String jobId) {
        return new StateRpc.Grant(jobId, 1, JobKind.RESTORE, BACKUP, null, null, 30);
    }

    private static ReceivedMessage message(RpcRequest request) {
        return new ReceivedMessage(JSON, request.toBytes(), Map.of());
    }

    private static ReceivedMessage restore() {
        return message(DataRpc.restoreBackup(BACKUP, "s2", CONTEXT));
    }

    @Test
    void aClaimedCastIsAckedBeforeItsJobRunsInTheCastsRequest() {
        handler.handle(restore(), delivery);

        assertEquals(List.of("claim restore_backup of backup b1 as alice", "ack", "run job-1"), events);
        StateRpc.Claim claim = claimed.get(0);
        assertEquals(new StateRpc.Claim(JobKind.RESTORE, BACKUP, "s2", "node-1"), claim);
        assertEquals(CONTEXT.requestId(), requestIdWhileRunning, "the job's logs and context carry the request id");
        assertNull(MDC.get("request_id"), "and the slot's thread is clean afterwards");
    }

    @Test
    void everyCastTypeIsClaimedAsItsOwnKind() {
        Set<JobKind> kinds = EnumSet.noneOf(JobKind.class);
        Class<?>[] castTypes = DataRpc.DataCast.class.getPermittedSubclasses();
        for (Class<?> type : castTypes) {
            RpcRequest cast = switch (type.getSimpleName()) {
                case "RestoreBackup" -> DataRpc.restoreBackup(BACKUP, "s2", CONTEXT);
                case "CreateBackup" -> DataRpc.createBackup(BACKUP, CONTEXT);
                case "DeleteBackup" -> DataRpc.deleteBackup(BACKUP, CONTEXT);
                case "CreateShare" -> DataRpc.createShare("s3", BACKUP, CONTEXT);
                case "DeleteShare" -> DataRpc.deleteShare("s3", CONTEXT);
                case "ShrinkShare" -> DataRpc.shrinkShare("s3", 2, CONTEXT);
                case "VerifyBackup" -> DataRpc.verifyBackup(BACKUP, CONTEXT);
                default -> throw new AssertionError("a new cast type, " + type + ": give it its JobKind in DataRpc "
                        + "and add it here");
            };
            handler.handle(message(cast), delivery);
            kinds.add(claimed.get(claimed.size() - 1).kind());
        }

        assertEquals(EnumSet.allOf(JobKind.class), kinds, "each cast type claims its own kind");
        assertEquals(castTypes.length, kinds.size());
        assertEquals(List.of("create_backup of backup b1", "delete_backup of backup b1", "create_share of backup b1",
                        "delete_share of share s3", "shrink_share of share s3", "verify_backup of backup b1"),
                claimed.stream().skip(1).map(ClaimClient::describe).toList());
        assertEquals("s1", claimed.get(2).shareId(), "a backup deletion claims with the backup's share");
        assertEquals(castTypes.length, events.stream().filter(e -> e.startsWith("run ")).count());
    }

    @Test
    void aShareCreatedWithoutABackupIsClaimedByItsShare() {
        handler.handle(message(DataRpc.createShare("s3", null, CONTEXT)), delivery);

        assertEquals(new StateRpc.Claim(JobKind.CREATE_SHARE, null, "s3", "node-1"), claimed.get(0));
        assertEquals("create_share of share s3", ClaimClient.describe(claimed.get(0)));
    }

    @Test
    void aCastWhoseClaimIsRefusedIsDroppedUnrun() {
        claimAnswers.add(new ClaimClient.ClaimRefusedException("job already succeeded", false));

        handler.handle(restore(), delivery);

        assertEquals(List.of("claim restore_backup of backup b1 as alice", "ack"), events);
    }

    @Test
    void aCastRefusedAsOneThatMustNeverRunIsParkedWithTheReason() {
        claimAnswers.add(new ClaimClient.ClaimRefusedException("alice may not restore into share s2", true));

        handler.handle(restore(), delivery);

        assertEquals(List.of("claim restore_backup of backup b1 as alice",
                "park: claim refused: alice may not restore into share s2", "ack"), events);
    }

    @Test
    void aCastWhoseClaimGetsNoAnswerGoesBackToTheQueueAndIsParkedAtTheLimit() {
        CastHandler twice = handler(new DeliveryTriage(DataRpc.TOPIC, 2, false));
        claimAnswers.add(new TimeoutException("no reply to claim_job within 30 s"));
        claimAnswers.add(new IOException("connection lost"));

        ReceivedMessage cast = restore();

        twice.handle(cast, delivery);
        twice.handle(cast, delivery);

        assertEquals(5, events.size(), events.toString());
        assertEquals(List.of("claim restore_backup of backup b1 as alice", "requeue",
                "claim restore_backup of backup b1 as alice"), events.subList(0, 3));
        assertTrue(events.get(3).startsWith("park: too many deliveries: returned to manila-data 2 times and its "
                + "claim got no answer each time (last: connection lost)"), events.get(3));
        assertEquals("ack", events.get(4), "the original is acked once its parked copy is confirmed");
    }

    @Test
    void onAQuorumQueueTheBrokersCountParksACastBeforeAnyClaim() {
        CastHandler quorum = handler(new DeliveryTriage(DataRpc.TOPIC, 5, true));
        byte[] body = DataRpc.restoreBackup(BACKUP, "s2", CONTEXT).toBytes();

        quorum.handle(new ReceivedMessage(JSON, body, Map.of(Parking.BROKER_DELIVERY_COUNT, 5L)), delivery);
        quorum.handle(new ReceivedMessage(JSON, body, Map.of(Parking.BROKER_DELIVERY_COUNT, 4L)), delivery);

        assertTrue(events.get(0).startsWith("park: too many deliveries: returned to manila-data 5 times"),
                events.get(0));
        assertEquals(List.of("ack", "claim restore_backup of backup b1 as alice", "ack", "run job-1"),
                events.subList(1, events.size()));
    }

    @Test
    void anUnreadableMessageIsParkedWithoutAClaim() {
        handler.handle(new ReceivedMessage(JSON, "{not json".getBytes(StandardCharsets.UTF_8), null), delivery);

        assertEquals(2, events.size(), events.toString());
        assertTrue(events.get(0).startsWith("park: cannot be read: body is not JSON"), events.get(0));
        assertEquals("ack", events.get(1));
    }

    @Test
    void aCallTheDispatcherRefusesGetsItsFailureReplyThenIsParked() {
        ObjectNode newer = DataRpc.restoreBackup(BACKUP, "s2", CONTEXT).asCall("reply_abc").toInner();
        newer.put("version", "1.2");
        String msgId = newer.get("_msg_id").asText();

        handler.handle(new ReceivedMessage(JSON, OsloEnvelope.wrap(newer), Map.of()), delivery);

        assertEquals(3, events.size(), events.toString());
        assertEquals("reply UnsupportedVersion to reply_abc for " + msgId, events.get(0));
        assertTrue(events.get(1).startsWith("park: restore_backup call at version 1.2 refused as oslo's dispatcher "
                + "would"), events.get(1));
        assertEquals("ack", events.get(2));
        assertTrue(claimed.isEmpty());
    }

    @Test
    void aMessageThatCannotBeParkedGoesBackToTheQueueUnacked() {
        parkFails = true;

        handler.handle(new ReceivedMessage("text/plain", "hello".getBytes(StandardCharsets.UTF_8), Map.of()),
                delivery);

        assertEquals(List.of("park failed", "requeue"), events);
    }

    @Test
    void aClaimedJobRunsEvenWhenItsAckFailed() {
        ackFails = true;

        handler.handle(restore(), delivery);

        assertEquals(List.of("claim restore_backup of backup b1 as alice", "ack", "run job-1"), events,
                "the claim is recorded: the redelivered cast's claim is refused, so it runs once");
    }

    @Test
    void aSecondCastOfAJobThatRunsOnThisNodeIsAckedAndNotRunAgain() {
        running.start("job-7", 1);
        claimAnswers.add(grant("job-7"));

        handler.handle(restore(), delivery);
        running.finish("job-7", 1);
        claimAnswers.add(grant("job-7"));
        handler.handle(restore(), delivery);

        assertEquals(List.of("claim restore_backup of backup b1 as alice", "ack",
                "claim restore_backup of backup b1 as alice", "ack"), events);
    }

    @Test
    @Timeout(60)
    void aStoppedHandlerDoesNotWaitBeforeTheNextCast() {
        CastHandler patient = new CastHandler("node-1-slot-0", "node-1", new DeliveryTriage(DataRpc.TOPIC, 5, false), claims, runner,
                replies, running, Duration.ofHours(1));
        claimAnswers.add(new IOException("connection lost"));

        patient.stop();
        patient.handle(restore(), delivery);

        assertEquals(List.of("claim restore_backup of backup b1 as alice", "requeue"), events);
    }

    @Test
    void aFailureReplyThatCannotBeSentStillParksTheCall() {
        CastHandler.Replies broken = (queue, id, failure) -> {
            throw new IOException("no gateway queue took it");
        };
        CastHandler handlerWithoutReplies = new CastHandler("s", "node-1", new DeliveryTriage(DataRpc.TOPIC, 5, false), claims,
                runner, broken, running, Duration.ZERO);
        ObjectNode unknown = DataRpc.restoreBackup(BACKUP, "s2", CONTEXT).asCall("reply_abc").toInner();
        unknown.put("method", "migrate_share");

        handlerWithoutReplies.handle(new ReceivedMessage(JSON, OsloEnvelope.wrap(unknown), Map.of()), delivery);

        assertEquals(2, events.size(), events.toString());
        assertTrue(events.get(0).startsWith("park: migrate_share call"), events.get(0));
        assertEquals("ack", events.get(1));
    }
}
