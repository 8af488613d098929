package dev.ferry.messages.amqp;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import dev.ferry.messages.RemoteFailure;
import dev.ferry.messages.RpcFailureException;
import dev.ferry.messages.RpcReply;
import dev.ferry.messages.RpcRequest;
import dev.ferry.messages.UndecodableMessageException;
import java.io.IOException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Serves one of Ferry's own topics. A request is acked after its handler returned (and, for a call,
 * after the reply was published), so a crash mid-handling redelivers it; handlers are idempotent.
 */
public final class RpcServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RpcServer.class);

    /** Handles one request; the return value is the call's result (ignored for casts). */
    @FunctionalInterface
    public interface Handler {
        JsonNode handle(RpcRequest request) throws RpcFailureException;
    }

    private final Channel channel;
    private final String queue;

    public RpcServer(Connection connection, Topology topology, String queue, int prefetch, Handler handler)
            throws IOException {
        this.channel = connection.createChannel();
        this.queue = queue;
        topology.declareFerryQueue(channel, queue);
        channel.basicQos(prefetch);
        channel.basicConsume(queue, false, "ferry-" + queue + "-" + RpcRequest.newId(), new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
                    throws IOException {
                serve(envelope, properties, body, handler);
            }
        });
    }

    private void serve(Envelope envelope, AMQP.BasicProperties properties, byte[] body, Handler handler)
            throws IOException {
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
        } catch (RuntimeException e) {
            // Not the request's fault (e.g. the database is away): try once more, then give up loudly.
            boolean retry = !envelope.isRedeliver();
            LOG.error("{} on {} could not be handled ({}): {}", request.method(), queue,
                    retry ? "requeued once" : "dropped after a redelivery", e.toString(), e);
            if (request.isCall() && !retry) {
                RemoteFailure failure = new RemoteFailure(e.getClass().getSimpleName(), "ferry", String.valueOf(
                        e.getMessage()), null);
                channel.basicPublish("", request.replyQueue(), true, OsloProperties.plain(),
                        RpcReply.failure(request.msgId(), failure).toBytes());
            }
            channel.basicNack(envelope.getDeliveryTag(), false, retry);
        } finally {
            MDC.remove("request_id");
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
