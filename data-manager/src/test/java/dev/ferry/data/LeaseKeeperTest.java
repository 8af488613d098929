package dev.ferry.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.data.FakeLeases.Answer;
import dev.ferry.messages.StateRpc.Hold;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class LeaseKeeperTest {
    private static final long SECOND = 1_000_000_000L;
    private static final Hold HOLD = new Hold("job-1", 4, "node-1");
    private long now = 1_000 * SECOND;
    private final FakeLeases leases = new FakeLeases();
    private final FakeTimer timer = new FakeTimer();
    private final List<String> lost = new ArrayList<>();

    private LeaseKeeper keeper(int leaseSeconds) {
        return new LeaseKeeper(HOLD, leaseSeconds, leases, () -> now, "req-1", lost::add);
    }

    private void at(long secondsAfterStart) {
        now = 1_000 * SECOND + secondsAfterStart * SECOND;
    }

    @Test
    void renewsEverySecondAndWaitsAThirdOfTheLeaseForAReply() {
        LeaseKeeper keeper = keeper(30);
        keeper.start(timer);
        assertEquals(Duration.ofSeconds(1), timer.last().delay());

        timer.runNext();
        timer.runNext();

        assertEquals(List.of(new FakeLeases.Renewal(HOLD, Duration.ofSeconds(10)),
                new FakeLeases.Renewal(HOLD, Duration.ofSeconds(10))), leases.renewals);
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(30)),
                timer.pending().stream().map(FakeTimer.Scheduled::delay).sorted().toList(),
                "the next renewal, and the lease's end");
        assertEquals(Duration.ofMillis(666), keeper(2).interval(), "a third of a short lease");
        assertEquals(Duration.ofSeconds(1), keeper(2).callTimeout(), "each call may wait at least a second");
    }

    @Test
    void theLeaseGrantedSetsTheNextInterval() {
        LeaseKeeper keeper = keeper(30);
        keeper.start(timer);
        leases.answer(Answer.granted(2));

        timer.runNext();

        assertEquals(Duration.ofMillis(666), timer.last().delay());
    }

    @Test
    void aJobTheApiEndedIsToldApartFromALeaseTakenBack() {
        LeaseKeeper cancelled = keeper(30);
        cancelled.start(timer);
        leases.answer(Answer.ended("job job-1 was cancelled by user alice of project demo"));
        timer.runNext();
        assertTrue(cancelled.lost());
        assertTrue(cancelled.endedByApi(), "the API ended it: what the job made is discarded");

        LeaseKeeper takenBack = keeper(30);
        takenBack.start(timer);
        leases.answer(Answer.lost("job job-1 is queued again at epoch 5"));
        takenBack.tick();
        assertTrue(takenBack.lost());
        assertFalse(takenBack.endedByApi(), "taken back: another node resumes it, nothing is discarded");
    }

    @Test
    void beginWritingLeavesTheJobThreadsRequestIdInItsLogLines() {
        LeaseKeeper held = keeper(30);
        held.start(timer);
        MDC.put("request_id", "req-of-the-job");
        try {
            assertTrue(held.beginWriting());
            assertEquals("req-of-the-job", MDC.get("request_id"), "the job's later lines still carry its request id");
        } finally {
            MDC.remove("request_id");
        }
    }

    @Test
    void beginWritingAsksTheApiGatewayAndAJobItEndedMayNotWrite() {
        LeaseKeeper held = keeper(30);
        held.start(timer);
        assertTrue(held.beginWriting(), "the api-gateway recorded it: the job may write");
        assertEquals(List.of(HOLD), leases.writings);
        assertFalse(held.lost());

        LeaseKeeper cancelled = keeper(30);
        cancelled.start(timer);
        leases.refuseWriting(new LeaseLostException("job job-1 was cancelled by user alice of project demo", true));
        assertFalse(cancelled.beginWriting(), "a cancelled job writes nothing");
        assertTrue(cancelled.lost());
        assertTrue(cancelled.endedByApi());
        assertEquals(List.of("job job-1 was cancelled by user alice of project demo"), lost);
        assertFalse(cancelled.beginWriting(), "and asks no more");
        assertEquals(2, leases.writings.size(), "one call each: the lost keeper made no second one");
    }

    @Test
    void leaseLostStopsRenewing() {
        LeaseKeeper keeper = keeper(30);
        keeper.start(timer);
        leases.answer(Answer.lost("job job-1 is queued again at epoch 5"));

        timer.runNext();
        keeper.tick();

        assertEquals(List.of("job job-1 is queued again at epoch 5"), lost);
        assertTrue(keeper.lost());
        assertEquals(List.of(), timer.pending(), "no renewal after the lease is lost");
        assertEquals(1, leases.renewals.size());
    }

    @Test
    void transientFailuresAreRetriedUntilTheLeaseHasRunOut() {
        LeaseKeeper keeper = keeper(30);
        for (long second : new long[] {10, 20, 30}) {
            at(second);
            leases.answer(Answer.unreachable());
            keeper.tick();
            assertEquals(List.of(), lost, "still within the lease at " + second + " s");
        }

        at(31);
        leases.answer(Answer.unreachable());
        keeper.tick();

        assertEquals(1, lost.size());
        assertTrue(lost.get(0).contains("no renewal succeeded within the lease of 30 s (none for 31 s)"), lost.get(0));
        assertTrue(lost.get(0).contains("no reply to renew_lease"), lost.get(0));
        assertEquals(4, leases.renewals.size(), "every tick tried");
    }

    @Test
    void aRenewalAfterFailuresStartsTheLeaseAgain() {
        LeaseKeeper keeper = keeper(30);
        at(10);
        leases.answer(Answer.unreachable());
        keeper.tick();
        at(25);
        keeper.tick(); // granted
        at(50);
        leases.answer(Answer.unreachable());
        keeper.tick();
        assertFalse(keeper.lost(), "25 s since the last renewal");

        at(56);
        leases.answer(Answer.unreachable());
        keeper.tick();

        assertTrue(keeper.lost());
    }

    @Test
    void whenRenewalsHangTheLeaseEndsOnTime() {
        keeper(30).start(timer);
        at(30);

        timer.runLast();

        assertEquals(1, lost.size());
        assertTrue(lost.get(0).startsWith("no renewal succeeded within the lease of 30 s"), lost.get(0));
        assertEquals(List.of(), timer.pending(), "nothing more to renew");
    }

    @Test
    void eachRenewalMovesTheLeasesEnd() {
        keeper(30).start(timer);
        at(10);

        timer.runNext();

        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(30)),
                timer.pending().stream().map(FakeTimer.Scheduled::delay).sorted().toList(),
                "the next renewal a second on, and one end of lease pending: 30 s after the renewal was sent");
        assertEquals(List.of(), lost);
    }

    @Test
    void stopEndsRenewals() {
        LeaseKeeper keeper = keeper(30);
        keeper.start(timer);

        keeper.stop();

        assertEquals(List.of(), timer.pending());
        keeper.tick();
        assertEquals(List.of(), leases.renewals);
    }
}
