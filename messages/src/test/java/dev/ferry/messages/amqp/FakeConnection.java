package dev.ferry.messages.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Return;
import com.rabbitmq.client.ReturnCallback;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * A connection with no broker behind it, for publisher tests: it opens channels that record what is published
 * and answer each publish as the test said ({@link Answer}; confirmed when nothing was said). Only the methods a
 * publisher calls are answered; any other fails the test.
 */
final class FakeConnection {
    /** How the "broker" answers one publish. */
    enum Answer { CONFIRM, NACK, NO_CONFIRM, RETURN_UNROUTABLE }

    /** One message published on one of the channels. */
    record Published(int channel, String exchange, String routingKey, boolean mandatory,
                     AMQP.BasicProperties properties, byte[] body) {
    }

    /** The state of one channel the connection opened. */
    static final class FakeChannel {
        final int number;
        boolean open = true;
        boolean confirmMode;
        ReturnCallback returns;
        ConfirmListener confirms;
        long nextSequenceNumber = 1;
        Answer pending;

        FakeChannel(int number) {
            this.number = number;
        }
    }

    final List<FakeChannel> channels = new ArrayList<>();
    final List<Published> published = new ArrayList<>();
    private final Deque<Answer> answers = new ArrayDeque<>();
    boolean open = true;
    final Connection connection = proxy(Connection.class, this::onConnection);

    void answer(Answer... next) {
        answers.addAll(List.of(next));
    }

    FakeChannel lastChannel() {
        return channels.get(channels.size() - 1);
    }

    private Object onConnection(Method method, Object[] args) {
        switch (method.getName()) {
            case "createChannel":
                if (!open) {
                    throw new IllegalStateException("the test's connection is closed");
                }
                FakeChannel state = new FakeChannel(channels.size() + 1);
                channels.add(state);
                return proxy(Channel.class, (m, a) -> onChannel(state, m, a));
            case "isOpen":
                return open;
            default:
                throw new AssertionError("a publisher does not call Connection." + method.getName());
        }
    }

    private Object onChannel(FakeChannel state, Method method, Object[] args) throws Exception {
        switch (method.getName()) {
            case "confirmSelect":
                state.confirmMode = true;
                return null;
            case "addReturnListener":
                state.returns = (ReturnCallback) args[0];
                return null;
            case "addConfirmListener":
                state.confirms = (ConfirmListener) args[0];
                return null;
            case "getNextPublishSeqNo":
                return state.confirmMode ? state.nextSequenceNumber : 0L;
            case "isOpen":
                return state.open;
            case "close":
                state.open = false;
                return null;
            case "getChannelNumber":
                return state.number;
            case "basicPublish":
                if (!state.open) {
                    throw new com.rabbitmq.client.AlreadyClosedException(
                            new com.rabbitmq.client.ShutdownSignalException(false, false, null, null));
                }
                Published message = new Published(state.number, (String) args[0], (String) args[1],
                        (Boolean) args[2], (AMQP.BasicProperties) args[3], (byte[]) args[4]);
                published.add(message);
                state.pending = answers.isEmpty() ? Answer.CONFIRM : answers.poll();
                if (state.pending == Answer.RETURN_UNROUTABLE && message.mandatory()) {
                    state.returns.handle(new Return(312, "NO_ROUTE", message.exchange(), message.routingKey(),
                            message.properties(), message.body()));
                }
                long sequenceNumber = state.nextSequenceNumber++;
                if (state.confirms != null && state.pending == Answer.NACK) {
                    state.confirms.handleNack(sequenceNumber, false);
                } else if (state.confirms != null && state.pending != Answer.NO_CONFIRM) {
                    state.confirms.handleAck(sequenceNumber, false);
                }
                return null;
            case "waitForConfirms":
                if (!state.confirmMode) {
                    throw new IllegalStateException("not in confirm mode");
                }
                Answer answer = state.pending;
                state.pending = null;
                if (answer == Answer.NO_CONFIRM) {
                    throw new TimeoutException("no confirm from the test's broker");
                }
                return answer != Answer.NACK;
            case "toString":
                return "fake channel " + state.number;
            default:
                throw new AssertionError("a publisher does not call Channel." + method.getName());
        }
    }

    @FunctionalInterface
    private interface Handler {
        Object handle(Method method, Object[] args) throws Exception;
    }

    private static <T> T proxy(Class<T> type, Handler handler) {
        InvocationHandler invocation = (self, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "hashCode" -> System.identityHashCode(self);
                    case "equals" -> self == args[0];
                    default -> type.getSimpleName() + " of a test";
                };
            }
            return handler.handle(method, args);
        };
        return type.cast(Proxy.newProxyInstance(FakeConnection.class.getClassLoader(), new Class<?>[] {type},
                invocation));
    }
}
