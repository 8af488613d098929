package dev.ferry.data;

import com.rabbitmq.client.AMQP;
import dev.ferry.messages.OsloEnvelope;
import dev.ferry.messages.RemoteFailure;
import dev.ferry.messages.RpcReply;
import java.io.IOException;
import java.util.Map;

/**
 * Replies a failure to an oslo caller exactly as oslo's server does (oslo-wire.md §3, §5): through the
 * default exchange to the call's {@code _reply_q}, mandatory, with oslo's properties, one final message.
 */
final class FailureReply {
    static final AMQP.BasicProperties OSLO_PROPERTIES = new AMQP.BasicProperties.Builder()
            .contentType(OsloEnvelope.CONTENT_TYPE)
            .contentEncoding(OsloEnvelope.CONTENT_ENCODING)
            .deliveryMode(2)
            .priority(0)
            .headers(Map.of())
            .build();

    private final ConfirmedPublisher publisher;

    FailureReply(ConfirmedPublisher publisher) {
        this.publisher = publisher;
    }

    /** Sends the failure; fails with {@link ConfirmedPublisher.UnroutableException} when the reply queue is gone. */
    void send(String replyQueue, String msgId, RemoteFailure failure) throws IOException {
        publisher.publish("", replyQueue, true, OSLO_PROPERTIES, RpcReply.failure(msgId, failure).toBytes());
    }
}
