package dev.ferry.data;

import dev.ferry.messages.RequestContext;
import dev.ferry.messages.StatusRpc;
import dev.ferry.messages.StatusRpc.Outcome;
import dev.ferry.messages.StatusRpc.Transition;
import dev.ferry.messages.amqp.ConfirmPublisher;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Casts transitions to {@code ferry-status}, confirmed by the broker and mandatory (a transition no queue
 * took is an error, not a silent loss). Progress is best effort; a final transition is retried with
 * backoff while the broker is away, since the job's outcome lives only in it.
 */
final class StatusPublisher implements TransitionSink {
    private static final Logger LOG = LoggerFactory.getLogger(StatusPublisher.class);
    private static final Duration GIVE_UP_AFTER = Duration.ofMinutes(10);
    private final ConfirmPublisher publisher;
    private final String exchange;
    private final String node;
    private final CountDownLatch closed = new CountDownLatch(1);

    StatusPublisher(ConfirmPublisher publisher, String exchange, String node) {
        this.publisher = publisher;
        this.exchange = exchange;
        this.node = node;
    }

    @Override
    public void send(Transition transition, String requestId) {
        var request = transition.toRequest(RequestContext.service(node, requestId));
        long deadline = System.nanoTime() + GIVE_UP_AFTER.toNanos();
        long backoffMs = 250;
        while (true) {
            try {
                publisher.publishOslo(exchange, StatusRpc.TOPIC, true, request.toBytes());
                LOG.debug("sent {} {}% for job {}", transition.outcome().wire(), transition.progress(),
                        transition.jobId());
                return;
            } catch (IOException | RuntimeException e) {
                if (transition.outcome() == Outcome.PROGRESS) {
                    LOG.warn("progress of job {} not sent ({}); the next one will be", transition.jobId(),
                            e.getMessage());
                    return;
                }
                if (System.nanoTime() > deadline || closed.getCount() == 0) {
                    LOG.error("giving up sending the {} transition of job {}: {}", transition.outcome().wire(),
                            transition.jobId(), e.getMessage(), e);
                    return;
                }
                LOG.warn("cannot send the {} transition of job {} yet ({}); retrying in {} ms",
                        transition.outcome().wire(), transition.jobId(), e.getMessage(), backoffMs);
                if (awaitClose(backoffMs)) {
                    return;
                }
                backoffMs = Math.min(backoffMs * 2, 10_000);
            }
        }
    }

    private boolean awaitClose(long millis) {
        try {
            return closed.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    void close() {
        closed.countDown();
    }
}
