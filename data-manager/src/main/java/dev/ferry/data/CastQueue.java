package dev.ferry.data;

import dev.ferry.messages.DataRpc;

/**
 * A queue of data casts a {@link JobSlot} consumes, and how the slot declares it ({@code oslo}): {@code manila-data}
 * as oslo declares it (shared with Manila's peers), {@code ferry-data-verify} as one of Ferry's own durable queues.
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
}
