package dev.ferry.data;

import dev.ferry.messages.DataRpc;
import dev.ferry.messages.Parking;
import dev.ferry.messages.RemoteFailure;
import dev.ferry.messages.RpcFailureException;
import dev.ferry.messages.RpcRequest;
import dev.ferry.messages.UndecodableMessageException;
import java.util.Map;

/**
 * Decides what a delivery on one queue ({@code manila-data} or {@code ferry-data-verify}) is before anything is done with it: a cast to process, a
 * message to park with the reason (unreadable, refused by oslo's dispatcher rules, or delivered too often),
 * or a call the dispatcher refuses, whose caller gets oslo's failure reply before it is parked. Also decides
 * what happens to a cast whose claim got no answer: back to the queue, or parked once it has been returned
 * {@code FERRY_MAX_DELIVERIES} times.
 */
final class DeliveryTriage {

    /** What to do with a delivery. */
    sealed interface Verdict permits Process, Park, ReplyAndPark, Requeue {
    }

    /** A cast this node runs. */
    record Process(RpcRequest request, DataRpc.DataCast cast) implements Verdict {
    }

    /** Move it to {@code ferry-parked}, saying why. */
    record Park(String reason) implements Verdict {
    }

    /** Reply {@code failure} to the caller (oslo's reply to a refused call), then park. */
    record ReplyAndPark(String replyQueue, String msgId, RemoteFailure failure, String reason) implements Verdict {
    }

    /** Return it to the queue; it will then have been returned {@code deliveries} times. */
    record Requeue(int deliveries) implements Verdict {
    }

    private final String queue;
    private final int maxDeliveries;
    private final boolean brokerCounts;
    private final ReturnCounts returns = new ReturnCounts();

    /**
     * @param queue         the queue the deliveries come from, as the reasons name it
     * @param maxDeliveries how many returns to the queue a cast may have before it is parked
     * @param brokerCounts  true on quorum queues, where RabbitMQ sets {@code x-delivery-count}; false on
     *                      classic queues, where the node counts its own returns ({@link ReturnCounts})
     */
    DeliveryTriage(String queue, int maxDeliveries, boolean brokerCounts) {
        if (maxDeliveries < 1) {
            throw new IllegalArgumentException("maxDeliveries must be at least 1, was " + maxDeliveries);
        }
        this.queue = queue;
        this.maxDeliveries = maxDeliveries;
        this.brokerCounts = brokerCounts;
    }

    Verdict triage(String contentType, byte[] body, Map<String, Object> headers) {
        int returned = brokerCounts ? deliveries(headers) : returns.returns(body);
        if (returned >= maxDeliveries) {
            returns.forget(body);
            return new Park(tooManyDeliveries(returned, "it was never processed"));
        }
        RpcRequest request;
        try {
            request = RpcRequest.decode(contentType, body);
        } catch (UndecodableMessageException e) {
            return new Park("cannot be read: " + e.getMessage());
        }
        try {
            return new Process(request, DataRpc.parse(request));
        } catch (RpcFailureException e) {
            RemoteFailure failure = e.failure();
            String refused = request.method() + " " + (request.isCall() ? "call" : "cast") + " at version "
                    + request.version() + " refused as oslo's dispatcher would: " + failure.className() + ": "
                    + failure.message();
            if (request.isCall()) {
                return new ReplyAndPark(request.replyQueue(), request.msgId(), failure,
                        refused + " (an api-gateway replies that failure to the caller)");
            }
            return new Park(refused);
        }
    }

    /**
     * A cast's claim got no answer (the api-gateway is away): return it (basic.nack with requeue: the node never
     * publishes a cast itself), or park it at the limit.
     */
    Verdict afterUnansweredClaim(Map<String, Object> headers, byte[] body, String why) {
        if (brokerCounts) {
            return new Requeue(deliveries(headers) + 1);
        }
        int returned = returns.returned(body);
        if (returned >= maxDeliveries) {
            returns.forget(body);
            return new Park(tooManyDeliveries(returned, "its claim got no answer each time (last: " + why + ")"));
        }
        return new Requeue(returned);
    }

    private String tooManyDeliveries(int returned, String what) {
        return "too many deliveries: returned to " + queue + " " + returned + " times and "
                + what + "; FERRY_MAX_DELIVERIES is " + maxDeliveries
                + ". Replay it once the api-gateway answers claims again";
    }

    /**
     * Times the message went back to a quorum queue: the broker's count, which it sets on every delivery. A
     * publisher's {@code x-ferry-deliveries} is ignored: anyone may write it.
     */
    int deliveries(Map<String, Object> headers) {
        return headers == null || !brokerCounts ? 0 : count(headers.get(Parking.BROKER_DELIVERY_COUNT));
    }

    private static int count(Object value) {
        if (value instanceof Number number) {
            return (int) Math.min(Integer.MAX_VALUE, Math.max(0, number.longValue()));
        }
        if (value != null) {
            try {
                // a String header: the slot converts long strings where it reads the message
                return Math.max(0, Integer.parseInt(value.toString().trim()));
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return 0;
    }
}
