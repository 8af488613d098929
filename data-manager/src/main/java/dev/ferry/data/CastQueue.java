package dev.ferry.data;

import com.rabbitmq.client.Channel;
import dev.ferry.messages.DataRpc;
import dev.ferry.messages.amqp.Topology;
import java.io.IOException;

/**
 * A queue of data casts a {@link JobSlot} consumes, and how it is declared: {@code manila-data} as oslo declares it
 * (shared with Manila's peers), {@code ferry-data-verify} as one of Ferry's own durable queues.
 */
record CastQueue(String name, boolean oslo) {
    /** Manila's {@code manila-data}: every job but verifications. */
    static CastQueue jobs() {
        return new CastQueue(DataRpc.TOPIC, true);
    }

    /** Ferry's {@code ferry-data-verify}: verifications, served by slots of their own. */
    static CastQueue verifications() {
        return new CastQueue(DataRpc.VERIFY_TOPIC, false);
    }

    /** Declares the queue on {@code channel} (or, for a broker user that may not, checks that it exists). */
    void declare(Topology topology, Channel channel) throws IOException {
        if (oslo) {
            topology.declareOsloQueue(channel, name);
        } else {
            topology.declareFerryQueue(channel, name);
        }
    }
}
