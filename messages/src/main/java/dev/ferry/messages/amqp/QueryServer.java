package dev.ferry.messages.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import dev.ferry.messages.Json;
import dev.ferry.messages.RemoteFailure;
import dev.ferry.messages.RpcFailureException;
import dev.ferry.messages.RpcReply;
import dev.ferry.messages.RpcRequest;
import dev.ferry.messages.UndecodableMessageException;
import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Serves read-only calls (Ferry's {@code ferry-data-query}) on a channel and a pool of {@code threads} of its own, so
 * they never wait behind whatever else the process does. At most {@code threads} calls are taken at once (prefetch).
 * Each is acked once answered; a call is never returned to the queue (its caller has a timeout and asks again).
 * Replies go through the topic exchange with the caller's reply queue as the routing key: the caller binds its reply
 * queue so ({@link RpcClient#RpcClient(Connection, Topology, boolean)}), and a least-privilege data node, which may
 * not publish to the default exchange, may publish there. Casts are acked and dropped (nobody would read an answer).
 */
public final class QueryServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(QueryServer.class);
    private final Channel channel;
    private final String exchange;
    private final String queue;
    private final RpcServer.Handler handler;
    private final ExecutorService pool;

    public QueryServer(Connection connection, Topology topology, String queue, int threads, RpcServer.Handler handler)
            throws IOException {
        this.channel = connection.createChannel();
        this.exchange = topology.exchange();
        this.queue = queue;
        this.handler = handler;
        AtomicInteger number = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread thread = new Thread(r, queue + "-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        topology.declareFerryQueue(channel, queue);
        channel.basicQos(threads);
        channel.basicConsume(queue, false, new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
                try {
                    pool.execute(() -> serve(envelope, properties, body));
                } catch (RejectedExecutionException e) {
                    LOG.debug("closing: a call on {} is left to the broker", queue);
                }
            }
        });
    }

    private void serve(Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
        RpcRequest request;
        try {
            request = RpcRequest.decode(properties.getContentType(), body);
        } catch (UndecodableMessageException e) {
            LOG.warn("dropping an unreadable call on {}: {}", queue, e.getMessage());
            settle(envelope, null, null);
            return;
        }
        MDC.put("request_id", request.requestId());
        try {
            RpcReply reply;
            try {
                reply = RpcReply.success(request.msgId(), handler.handle(request));
            } catch (RpcFailureException e) {
                reply = RpcReply.failure(request.msgId(), e.failure());
            } catch (RuntimeException e) {
                LOG.error("{} on {} failed", request.method(), queue, e);
                reply = RpcReply.failure(request.msgId(), new RemoteFailure("RemoteError",
                        "oslo_messaging", request.method() + " failed: " + e, Json.object()));
            }
            if (!request.isCall()) {
                LOG.warn("dropping a cast of {} on {}: queries are calls", request.method(), queue);
                reply = null;
            }
            settle(envelope, request, reply);
        } finally {
            MDC.remove("request_id");
        }
    }

    private void settle(Envelope envelope, RpcRequest request, RpcReply reply) {
        try {
            synchronized (channel) {
                if (reply != null) {
                    channel.basicPublish(exchange, request.replyQueue(), false, OsloProperties.plain(),
                            reply.toBytes());
                }
                channel.basicAck(envelope.getDeliveryTag(), false);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not answer a call on {} ({}); its caller times out and may ask again", queue,
                    e.toString());
        }
    }

    @Override
    public void close() {
        pool.shutdown();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (channel.isOpen()) {
                channel.close();
            }
        } catch (IOException | TimeoutException | RuntimeException ignored) {
            // closing on shutdown
        }
    }
}
