package dev.ferry.messages.amqp;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import dev.ferry.messages.RpcFailureException;
import dev.ferry.messages.RpcReply;
import dev.ferry.messages.RpcRequest;
import dev.ferry.messages.UndecodableMessageException;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * oslo calls: the request names this process's reply queue in {@code _reply_q} and its id in
 * {@code _msg_id}; replies come back through the default exchange (oslo-wire.md §5, §11.6).
 */
public final class RpcClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RpcClient.class);
    private final Channel channel;
    private final String exchange;
    private final String replyQueue = "reply_" + RpcRequest.newId();
    private final Map<String, CompletableFuture<RpcReply>> pending = new ConcurrentHashMap<>();

    public RpcClient(Connection connection, Topology topology) throws IOException {
        this(connection, topology, false);
    }

    /**
     * With {@code routedReplies}, the reply queue is also bound to the topic exchange by its own name, so that
     * servers which may not publish to the default exchange (least-privilege data nodes answering
     * {@code ferry-data-query}) reply through the exchange.
     */
    public RpcClient(Connection connection, Topology topology, boolean routedReplies) throws IOException {
        this.channel = connection.createChannel();
        this.exchange = topology.exchange();
        topology.declareReplyQueue(channel, replyQueue);
        if (routedReplies) {
            topology.declareExchange(channel);
            channel.queueBind(replyQueue, exchange, replyQueue);
        }
        if (connection instanceof Recoverable recoverable) {
            recoverable.addRecoveryListener(new RecoveryListener() {
                @Override
                public void handleRecovery(Recoverable recovered) {
                    failPending();
                }

                @Override
                public void handleRecoveryStarted(Recoverable recovering) {
                    // replies may still come until the connection is back; decided in handleRecovery
                }
            });
        }
        channel.basicConsume(replyQueue, false, new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
                    throws IOException {
                onReply(properties, body);
                getChannel().basicAck(envelope.getDeliveryTag(), false);
            }
        });
    }

    /** Sends {@code request} as a call on {@code topic} and waits for its final reply. */
    public JsonNode call(String topic, RpcRequest request, Duration timeout)
            throws RpcFailureException, TimeoutException, IOException {
        RpcRequest call = request.asCall(replyQueue);
        CompletableFuture<RpcReply> reply = new CompletableFuture<>();
        pending.put(call.msgId(), reply);
        try {
            synchronized (channel) {
                channel.basicPublish(exchange, topic, false, OsloProperties.expiringIn(timeout.toMillis()),
                        call.toBytes());
            }
            RpcReply result = reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (result.failure() != null) {
                throw new RpcFailureException(result.failure());
            }
            return result.result();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + request.method() + " on " + topic, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ReplyLostException lost) {
                throw lost;
            }
            throw new IOException("reply to " + request.method() + " failed", e.getCause());
        } catch (TimeoutException e) {
            throw new TimeoutException("no reply to " + request.method() + " on '" + topic + "' within "
                    + timeout.toSeconds() + " s (is an api-gateway running and connected to this broker?)");
        } finally {
            pending.remove(call.msgId());
        }
    }

    /** After a reconnect, pending calls learn at once that their replies are lost, not after a timeout. */
    private void failPending() {
        pending.forEach((msgId, waiter) -> waiter.completeExceptionally(new ReplyLostException(
                "the connection to RabbitMQ was re-established while this call was pending; its reply is lost")));
    }

    private void onReply(AMQP.BasicProperties properties, byte[] body) {
        try {
            RpcReply reply = RpcReply.decode(properties.getContentType(), body);
            CompletableFuture<RpcReply> waiter = pending.get(reply.msgId());
            if (waiter == null) {
                LOG.debug("dropping a reply for unknown call {}", reply.msgId());
            } else if (reply.ending()) {
                waiter.complete(reply);
            }
        } catch (UndecodableMessageException e) {
            LOG.warn("dropping an unreadable reply on {}: {}", replyQueue, e.getMessage());
        }
    }

    @Override
    public void close() {
        try {
            if (channel.isOpen()) {
                channel.close();
            }
        } catch (IOException | TimeoutException | RuntimeException ignored) {
            // closing on shutdown
        }
    }
}
