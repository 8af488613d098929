package dev.ferry.messages.amqp;

import com.rabbitmq.client.ConfirmListener;
import java.util.BitSet;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The confirms one batch waits for on a channel in confirm mode: which publish sequence number is which message of
 * the batch, and what the broker answered for each (an ack confirms it; a nack, or no answer, leaves it in doubt).
 * Acks for messages outside the batch (single publishes on the same channel) find nothing to resolve.
 */
final class BatchConfirms implements ConfirmListener {
    private final NavigableMap<Long, Integer> waiting = new TreeMap<>();
    private final BitSet confirmed = new BitSet();
    private int nacked;

    /** Starts a new batch; answers still due for an earlier one are ignored. */
    synchronized void reset() {
        waiting.clear();
        confirmed.clear();
        nacked = 0;
    }

    /** The message at {@code position} in the batch went out as {@code sequenceNumber}. */
    synchronized void expect(long sequenceNumber, int position) {
        waiting.put(sequenceNumber, position);
    }

    @Override
    public void handleAck(long deliveryTag, boolean multiple) {
        resolve(deliveryTag, multiple, true);
    }

    @Override
    public void handleNack(long deliveryTag, boolean multiple) {
        resolve(deliveryTag, multiple, false);
    }

    private synchronized void resolve(long deliveryTag, boolean multiple, boolean ack) {
        NavigableMap<Long, Integer> answered = multiple ? waiting.headMap(deliveryTag, true)
                : waiting.subMap(deliveryTag, true, deliveryTag, true);
        for (int position : answered.values()) {
            if (ack) {
                confirmed.set(position);
            } else {
                nacked++;
            }
        }
        answered.clear();
        notifyAll();
    }

    /** Waits until every message of the batch was answered or {@code timeoutMillis} passed; true when all were. */
    synchronized boolean awaitAnswers(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (!waiting.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    synchronized BitSet confirmed() {
        return (BitSet) confirmed.clone();
    }

    synchronized int nacked() {
        return nacked;
    }
}
