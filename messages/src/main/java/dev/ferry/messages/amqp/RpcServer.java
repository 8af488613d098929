package dev.ferry.messages.amqp;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import dev.ferry.messages.RpcFailureException;
import dev.ferry.messages.RpcReply;
import dev.ferry.messages.RpcRequest;
import dev.ferry.messages.UndecodableMessageException;
import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Serves one of Ferry's own topics. A request is acked after its handler returned (and, for a call,
 * after the reply was published). When a handler fails for a reason that is not the request's (say
 * the database is away), the request goes back to the queue and the server stops consuming for a
 * growing pause: nothing is dropped, and handlers are idempotent, so nothing is applied twice.
 */
public final class RpcServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RpcServer.class);
    private static final long FIRST_PAUSE_MS = 500;
    private static final long LONGEST_PAUSE_MS = 10_000;

    /** Handles one request; the return value is the call's result (ignored for casts). */
    @FunctionalInterface
    public interface Handler {
        JsonNode handle(RpcRequest request) throws RpcFailureException;
    }

    private final Channel channel;
    private final String queue;
    private final Handler handler;
    private final ScheduledExecutorService resumer;
    private String consumerTag;
    private long pauseMs = FIRST_PAUSE_MS;
    private boolean closed;

    public RpcServer(Connection connection, Topology topology, String queue, int prefetch, Handler handler)
            throws IOException {
        this.channel = connection.createChannel();
        this.queue = queue;
        this.handler = handler;
        this.resumer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "rpc-" + queue + "-resume");
            thread.setDaemon(true);
            return thread;
        });
        topology.declareFerryQueue(channel, queue);
        channel.basicQos(prefetch);
        consume();
    }

    private synchronized void consume() throws IOException {
        if (closed || consumerTag != null) {
            return;
        }
        consumerTag = channel.basicConsume(queue, false, new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
                    throws IOException {
                serve(envelope, properties, body);
            }
        });
    }

    private synchronized void pause() {
        long delay = pauseMs;
        pauseMs = Math.min(pauseMs * 2, LONGEST_PAUSE_MS);
        try {
            if (consumerTag != null) {
                channel.basicCancel(consumerTag);
                consumerTag = null;
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("cancelling the consumer on {} failed: {}", queue, e.toString());
        }
        resumer.schedule(() -> {
            try {
                consume();
            } catch (IOException | RuntimeException e) {
                LOG.error("cannot consume {} again: {}", queue, e.toString());
            }
        }, delay, TimeUnit.MILLISECONDS);
    }

    private void serve(Envelope envelope, AMQP.BasicProperties properties, byte[] body) throws IOException {
        RpcRequest request;
        try {
            request = RpcRequest.decode(properties.getContentType(), body);
        } catch (UndecodableMessageException e) {
            LOG.error("rejecting an unreadable message on {}: {}", queue, e.getMessage());
            channel.basicReject(envelope.getDeliveryTag(), false);
            return;
        }
        MDC.put("request_id", request.requestId());
        try {
            RpcReply reply;
            try {
                reply = RpcReply.success(request.msgId(), handler.handle(request));
            } catch (RpcFailureException e) {
                reply = RpcReply.failure(request.msgId(), e.failure());
            }
            if (request.isCall()) {
                channel.basicPublish("", request.replyQueue(), true, OsloProperties.plain(), reply.toBytes());
            } else if (reply.failure() != null) {
                LOG.warn("{} on {} failed: {}", request.method(), queue, reply.failure().message());
            }
            channel.basicAck(envelope.getDeliveryTag(), false);
            synchronized (this) {
                pauseMs = FIRST_PAUSE_MS;
            }
        } catch (RuntimeException e) {
            LOG.error("{} on {} could not be handled ({}); returned to the queue, consuming again in {} ms",
                    request.method(), queue, e.toString(), pauseMs);
            channel.basicNack(envelope.getDeliveryTag(), false, true);
            pause();
        } finally {
            MDC.remove("request_id");
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        resumer.shutdownNow();
        try {
            if (channel.isOpen()) {
                channel.close();
            }
        } catch (IOException | TimeoutException | RuntimeException ignored) {
            // closing on shutdown
        }
    }
}
