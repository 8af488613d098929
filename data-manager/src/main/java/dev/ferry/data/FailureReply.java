package dev.ferry.data;

import dev.ferry.messages.RemoteFailure;
import dev.ferry.messages.RequestContext;
import dev.ferry.messages.StatusRpc;
import dev.ferry.messages.amqp.ConfirmPublisher;
import java.io.IOException;

/**
 * Has an oslo caller sent the failure its refused call earns (oslo-wire.md §5). oslo replies travel through the
 * default exchange, which the least-privilege data-node user may not publish to (it could reach any queue, say
 * {@code manila-data}, that way). So the node forwards the failure to {@code ferry-status} as a
 * {@link StatusRpc#REFUSED_CALL} naming the caller's reply queue and message id, and an api-gateway sends the
 * reply with its own broker user.
 */
final class FailureReply {
    private final ConfirmPublisher publisher;
    private final String exchange;
    private final String node;

    FailureReply(ConfirmPublisher publisher, String exchange, String node) {
        this.publisher = publisher;
        this.exchange = exchange;
        this.node = node;
    }

    /** Forwards the failure; fails with {@link ConfirmPublisher.UnroutableException} when no gateway queue took it. */
    void send(String replyQueue, String msgId, RemoteFailure failure) throws IOException {
        publisher.publishOslo(exchange, StatusRpc.TOPIC, true,
                StatusRpc.refusedCall(replyQueue, msgId, failure, RequestContext.service(node, null)).toBytes());
    }
}
