package dev.ferry.data;

import dev.ferry.messages.StateRpc.Hold;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;

/** A {@link LeaseClient} that records calls and answers what the test queued (default: granted, 30 s). */
final class FakeLeases implements LeaseClient {
    record Renewal(Hold hold, Duration timeout) {
    }

    record Release(Hold hold, String reason) {
    }

    /** One answer to a renewal: seconds granted, or an exception to throw. */
    record Answer(int seconds, Exception failure) {
        static Answer granted(int seconds) {
            return new Answer(seconds, null);
        }

        static Answer lost(String reason) {
            return new Answer(0, new LeaseLostException(reason));
        }

        static Answer ended(String reason) {
            return new Answer(0, new LeaseLostException(reason, true));
        }

        static Answer unreachable() {
            return new Answer(0, new IOException("no reply to renew_lease on 'ferry-state' within 10 s"));
        }
    }

    final List<Renewal> renewals = Collections.synchronizedList(new ArrayList<>());
    final List<Release> releases = Collections.synchronizedList(new ArrayList<>());
    private final Deque<Answer> answers = new ArrayDeque<>();

    synchronized void answer(Answer answer) {
        answers.add(answer);
    }

    @Override
    public int renew(Hold hold, String requestId, Duration timeout) throws LeaseLostException, IOException {
        renewals.add(new Renewal(hold, timeout));
        Answer answer;
        synchronized (this) {
            answer = answers.isEmpty() ? Answer.granted(30) : answers.poll();
        }
        if (answer.failure() instanceof LeaseLostException lost) {
            throw lost;
        }
        if (answer.failure() instanceof IOException io) {
            throw io;
        }
        return answer.seconds();
    }

    final List<Hold> writings = Collections.synchronizedList(new ArrayList<>());
    private volatile Exception writingFailure;

    /** The next begin_writing calls fail with {@code failure} (a LeaseLostException or an IOException). */
    void refuseWriting(Exception failure) {
        writingFailure = failure;
    }

    @Override
    public void beginWriting(Hold hold, String requestId, Duration timeout) throws LeaseLostException, IOException {
        writings.add(hold);
        Exception failure = writingFailure;
        if (failure instanceof LeaseLostException lost) {
            throw lost;
        }
        if (failure instanceof IOException io) {
            throw io;
        }
    }

    @Override
    public void release(Hold hold, String reason, String requestId, Duration timeout) {
        releases.add(new Release(hold, reason));
    }
}
