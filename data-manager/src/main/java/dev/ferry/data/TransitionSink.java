package dev.ferry.data;

import dev.ferry.messages.StatusRpc.Transition;

/** Where a job reports its progress and outcome; on the wire, casts to {@code ferry-status}. */
@FunctionalInterface
public interface TransitionSink {
    /** Sends one transition; a final one (success, failure) must not be lost, so this may retry. */
    void send(Transition transition, String requestId);
}
