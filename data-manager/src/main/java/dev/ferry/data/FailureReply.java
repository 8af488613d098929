package dev.ferry.data;

import dev.ferry.messages.RemoteFailure;
import dev.ferry.messages.RpcReply;
import java.io.IOException;

/**
 * Replies a failure to an oslo caller exactly as oslo's server does (oslo-wire.md §3, §5): through the
 * default exchange to the call's {@code _reply_q}, mandatory, with oslo's properties, one final message.
 */
final class FailureReply {
    private final ConfirmedPublisher publisher;

    FailureReply(ConfirmedPublisher publisher) {
        this.publisher = publisher;
    }

    /** Sends the failure; fails with {@link ConfirmedPublisher.UnroutableException} when the reply queue is gone. */
    void send(String replyQueue, String msgId, RemoteFailure failure) throws IOException {
        publisher.publish("", replyQueue, true, ConfirmedPublisher.OSLO_PROPERTIES, RpcReply.failure(msgId, failure).toBytes());
    }
}
