package dev.ferry.data;

import dev.ferry.drivers.BackupDriver;
import dev.ferry.drivers.ProgressListener;
import dev.ferry.messages.FailureDetail;
import dev.ferry.messages.StateRpc.Grant;
import dev.ferry.messages.StatusRpc.Transition;
import java.time.Clock;
import java.time.Duration;

/** What every job needs: its grant, the driver, where transitions go, and who runs it. */
public record JobContext(Grant grant, BackupDriver driver, TransitionSink sink, String node, String requestId,
                         Duration progressInterval) {

    ProgressListener progressListener() {
        return new ThrottledProgress(sink, grant.jobId(), grant.epoch(), node, requestId, progressInterval,
                Clock.systemUTC());
    }

    void succeeded() {
        sink.send(Transition.succeeded(grant.jobId(), grant.epoch(), node), requestId);
    }

    void failed(FailureDetail detail, String reason, boolean targetTouched) {
        sink.send(Transition.failed(grant.jobId(), grant.epoch(), node, detail, reason, targetTouched), requestId);
    }
}
