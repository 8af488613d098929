package dev.ferry.messages.amqp;

import java.io.IOException;

/**
 * A call's reply can no longer arrive: the connection to RabbitMQ was re-established while the call
 * was pending, and the reply went to the reply queue as it was before. The call may have been
 * carried out; calling again is the caller's way to learn its result (Ferry's calls are idempotent).
 */
public final class ReplyLostException extends IOException {
    private static final long serialVersionUID = 1L;

    public ReplyLostException(String message) {
        super(message);
    }
}
