package dev.ferry.messages.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Method;
import com.rabbitmq.client.ShutdownSignalException;

/** Recognises the broker's ACCESS_REFUSED (403): the broker user lacks a permission for what was asked. */
public final class AccessRefused {
    private AccessRefused() {
    }

    /** True when {@code error} or one of its causes is a channel closed by the broker with 403. */
    public static boolean in(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof ShutdownSignalException signal && !signal.isInitiatedByApplication()) {
                Method reason = signal.getReason();
                if (reason instanceof AMQP.Channel.Close close && close.getReplyCode() == AMQP.ACCESS_REFUSED) {
                    return true;
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
