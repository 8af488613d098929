package dev.ferry.data;

import dev.ferry.drivers.CopyProgress;
import dev.ferry.drivers.ProgressListener;
import dev.ferry.messages.StatusRpc.Transition;
import java.time.Clock;
import java.time.Duration;

/**
 * Turns the copy engine's frequent progress callbacks into at most one progress transition per
 * interval, only when the percentage moved. 100 is left to the success transition.
 */
final class ThrottledProgress implements ProgressListener {
    private final TransitionSink sink;
    private final String jobId;
    private final long epoch;
    private final String node;
    private final String requestId;
    private final Duration interval;
    private final Clock clock;
    private long lastSentAt = Long.MIN_VALUE;
    private int lastPercent = -1;

    ThrottledProgress(TransitionSink sink, String jobId, long epoch, String node, String requestId,
                      Duration interval, Clock clock) {
        this.sink = sink;
        this.jobId = jobId;
        this.epoch = epoch;
        this.node = node;
        this.requestId = requestId;
        this.interval = interval;
        this.clock = clock;
    }

    @Override
    public synchronized void onProgress(CopyProgress progress) {
        int percent = Math.min(progress.percent(), 99);
        long now = clock.millis();
        if (percent > lastPercent && (lastSentAt == Long.MIN_VALUE || now - lastSentAt >= interval.toMillis())) {
            lastPercent = percent;
            lastSentAt = now;
            sink.send(Transition.progress(jobId, epoch, node, percent), requestId);
        }
    }
}
