package dev.ferry.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.messages.RequestContext;
import dev.ferry.messages.RpcFailureException;
import dev.ferry.messages.RpcRequest;
import dev.ferry.messages.ServiceReport;
import dev.ferry.messages.StateRpc;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A data node's heartbeat: reports the node ({@link ServiceReport}) to the api-gateway when it starts and then as
 * often as the api-gateway's answer asks (a fraction of its {@code FERRY_SERVICE_DOWN_SECONDS}), so that
 * {@code GET /v2/services} shows it {@code up} and requests its driver cannot serve are refused when they arrive.
 * {@link #stop} reports the node {@code stopping} once, so it is {@code down} at once. A report that gets no
 * answer is logged once and tried again; the node works on either way.
 */
final class ServiceReporter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceReporter.class);
    /** Until an api-gateway answers, and when one does not say. */
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
    private static final Duration SHORTEST = Duration.ofMillis(200);
    private static final Duration LONGEST = Duration.ofSeconds(10);

    /** Sends one report and returns the api-gateway's answer. */
    interface Channel {
        JsonNode call(RpcRequest request, Duration timeout) throws RpcFailureException, IOException, TimeoutException;
    }

    private final String host;
    private final DriverCapabilities capabilities;
    private final BooleanSupplier ready;
    private final Channel channel;
    private final ScheduledExecutorService timer;
    private Duration interval = DEFAULT_INTERVAL;
    private ScheduledFuture<?> next;
    private boolean stopped;
    private boolean failing;
    /** One report at a time: the last one (stopping) is sent after any report still under way has its answer. */
    private final Object sending = new Object();

    /** {@code ready} says whether the node takes casts (false once it drains or gives up). */
    ServiceReporter(String host, DriverCapabilities capabilities, BooleanSupplier ready, Channel channel,
                    ScheduledExecutorService timer) {
        this.host = host;
        this.capabilities = capabilities;
        this.ready = ready;
        this.channel = channel;
        this.timer = timer;
    }

    /** Reports now, then again and again. */
    synchronized ServiceReporter start() {
        next = timer.schedule(this::reportAndReschedule, 0, TimeUnit.MILLISECONDS);
        LOG.info("data node {} reports itself to the api-gateway (restore to target: {}, restores {})", host,
                capabilities.restoreToTarget() ? "yes" : "no", capabilities.restorePairs());
        return this;
    }

    private void reportAndReschedule() {
        Duration wait = report(ready.getAsBoolean() ? ServiceReport.State.UP : ServiceReport.State.STOPPING);
        synchronized (this) {
            if (!stopped) {
                next = timer.schedule(this::reportAndReschedule, wait.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    /** Sends one report; returns how long until the next. */
    Duration report(ServiceReport.State state) {
        synchronized (sending) {
            return send(state);
        }
    }

    private Duration send(ServiceReport.State state) {
        Duration timeout = currentInterval();
        ServiceReport report = new ServiceReport(host, state, capabilities.restoreToTarget(),
                capabilities.restorePairs());
        try {
            JsonNode reply = channel.call(report.toRequest(RequestContext.service(host,
                    RequestContext.newRequestId())), timeout);
            Duration asked = ServiceReport.intervalFromReply(reply, DEFAULT_INTERVAL);
            Duration bounded = asked.compareTo(SHORTEST) < 0 ? SHORTEST : asked.compareTo(LONGEST) > 0 ? LONGEST : asked;
            synchronized (this) {
                interval = bounded;
                if (failing) {
                    failing = false;
                    LOG.info("data node {} reports to the api-gateway again", host);
                }
            }
            return bounded;
        } catch (RpcFailureException | IOException | TimeoutException | RuntimeException e) {
            synchronized (this) {
                if (!failing) {
                    failing = true;
                    LOG.warn("data node {} could not report itself to the api-gateway ({}); GET /v2/services shows it "
                            + "down until a report gets through. It keeps trying", host, e.getMessage());
                }
            }
            return timeout;
        }
    }

    private synchronized Duration currentInterval() {
        return interval;
    }

    /** Stops reporting, after one last report that the node is stopping (so it is down at once). */
    void stop() {
        synchronized (this) {
            if (stopped) {
                return;
            }
            stopped = true;
            if (next != null) {
                next.cancel(false);
            }
        }
        report(ServiceReport.State.STOPPING);
        LOG.info("data node {} reported that it stops", host);
    }

    @Override
    public void close() {
        stop();
    }

    /** Reports as oslo calls on {@code ferry-state}. */
    static Channel over(dev.ferry.messages.amqp.RpcClient rpc) {
        return (request, timeout) -> rpc.call(StateRpc.TOPIC, request, timeout);
    }
}
