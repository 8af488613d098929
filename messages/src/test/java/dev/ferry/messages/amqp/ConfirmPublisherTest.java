package dev.ferry.messages.amqp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import dev.ferry.messages.amqp.FakeConnection.Answer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a publish that returned means, and what each way of failing leaves behind (no broker: a fake connection). */
class ConfirmPublisherTest {
    private static final byte[] BODY = "{\"oslo.version\": \"2.0\"}".getBytes(StandardCharsets.UTF_8);
    private final FakeConnection broker = new FakeConnection();

    private ConfirmPublisher publisher() throws IOException {
        return new ConfirmPublisher(broker.connection, Duration.ofSeconds(1));
    }

    @Test
    void aConfirmedOsloPublishReturnsAndCarriesOslosProperties() throws Exception {
        try (ConfirmPublisher publisher = publisher()) {
            publisher.publishOslo("openstack", "manila-data", false, BODY);
        }

        FakeConnection.Published sent = broker.published.get(0);
        assertEquals("openstack", sent.exchange());
        assertEquals("manila-data", sent.routingKey());
        assertArrayEquals(BODY, sent.body());
        AMQP.BasicProperties oslo = sent.properties();
        assertEquals("application/json", oslo.getContentType());
        assertEquals("utf-8", oslo.getContentEncoding());
        assertEquals(2, oslo.getDeliveryMode(), "persistent");
        assertEquals(0, oslo.getPriority());
        assertEquals(Map.of(), oslo.getHeaders());
        assertTrue(broker.channels.get(0).confirmMode);
    }

    @Test
    void aNackFailsThatPublishAndLeavesTheChannelOpenForTheNext() throws Exception {
        ConfirmPublisher publisher = publisher();
        broker.answer(Answer.NACK);

        IOException nacked = assertThrows(IOException.class,
                () -> publisher.publishOslo("openstack", "ferry-status", true, BODY));
        publisher.publishOslo("openstack", "ferry-status", true, BODY);

        assertEquals("the broker refused (nacked) a message to 'ferry-status' on exchange 'openstack'",
                nacked.getMessage());
        assertEquals(1, broker.channels.size(), "the channel was kept");
        assertTrue(broker.lastChannel().open);
        assertEquals(2, broker.published.size());
    }

    @Test
    void aConfirmThatNeverComesReplacesTheChannel() throws Exception {
        ConfirmPublisher publisher = publisher();
        broker.answer(Answer.NO_CONFIRM);

        IOException lost = assertThrows(IOException.class,
                () -> publisher.publishOslo("openstack", "manila-data", false, BODY));
        publisher.publishOslo("openstack", "manila-data", false, BODY);

        assertEquals("the broker did not confirm a message to 'manila-data' on exchange 'openstack' within 1000 ms",
                lost.getMessage());
        assertFalse(broker.channels.get(0).open, "the channel whose confirms are in doubt was closed");
        assertEquals(2, broker.channels.size());
        assertEquals(2, broker.published.get(1).channel(), "the next publish went out on a fresh channel");
    }

    @Test
    void aMandatoryMessageNoQueueTookFailsAsUnroutableAndTheNextOneGoesThrough() throws Exception {
        ConfirmPublisher publisher = publisher();
        broker.answer(Answer.RETURN_UNROUTABLE);

        assertThrows(ConfirmPublisher.UnroutableException.class,
                () -> publisher.publishOslo("openstack", "ferry-parked", true, BODY));
        publisher.publishOslo("openstack", "ferry-parked", true, BODY);

        assertEquals(1, broker.channels.size());
    }

    @Test
    void aChannelThatDiedIsReplacedWhileTheConnectionLivesAndNotWhileItRecovers() throws Exception {
        ConfirmPublisher publisher = publisher();
        broker.lastChannel().open = false;
        broker.open = false;

        IOException recovering = assertThrows(IOException.class,
                () -> publisher.publishOslo("", "ferry-status", true, BODY));
        assertEquals(1, broker.channels.size(), "the recovering connection's channel is the client's to recover");
        assertTrue(recovering.getMessage().startsWith("cannot publish to 'ferry-status': "), recovering.getMessage());

        broker.open = true;
        publisher.publishOslo("", "ferry-status", true, BODY);
        assertEquals(2, broker.channels.size());
        assertEquals(1, broker.published.size(), "only the publish on the new channel reached the broker");
    }

    @Test
    void declarationsRunOnTheSameChannel() throws Exception {
        ConfirmPublisher publisher = publisher();
        int[] seen = new int[1];

        publisher.withChannel(channel -> seen[0] = channel.getChannelNumber());

        assertEquals(1, seen[0]);
    }

    private static List<ConfirmPublisher.Outgoing> batch(int size) {
        return java.util.stream.IntStream.range(0, size)
                .mapToObj(i -> new ConfirmPublisher.Outgoing("openstack", "manila-data", BODY)).toList();
    }

    private static BitSet positions(int... confirmed) {
        BitSet set = new BitSet();
        for (int position : confirmed) {
            set.set(position);
        }
        return set;
    }

    @Test
    void aBatchGoesOutWholeAndSaysAllWereConfirmed() throws Exception {
        ConfirmPublisher publisher = publisher();

        ConfirmPublisher.BatchOutcome outcome = publisher.publishOsloBatch(batch(3));

        assertTrue(outcome.complete());
        assertEquals(positions(0, 1, 2), outcome.confirmed());
        assertEquals(3, broker.published.size());
        assertEquals(2, broker.published.get(2).properties().getDeliveryMode(), "persistent, as every oslo publish");
        assertFalse(broker.published.get(0).mandatory());
    }

    @Test
    void aNackInABatchLeavesThatMessageUnconfirmedAndTheOthersConfirmed() throws Exception {
        ConfirmPublisher publisher = publisher();
        broker.answer(Answer.CONFIRM, Answer.NACK, Answer.CONFIRM);

        ConfirmPublisher.BatchOutcome outcome = publisher.publishOsloBatch(batch(3));

        assertEquals(positions(0, 2), outcome.confirmed());
        assertEquals("the broker refused (nacked) 1 of 3 messages", outcome.problem());
        assertTrue(broker.lastChannel().open, "a nack keeps the channel");
    }

    @Test
    void aBatchConfirmThatNeverComesIsNotConfirmedAndReplacesTheChannel() throws Exception {
        ConfirmPublisher publisher = publisher();
        broker.answer(Answer.CONFIRM, Answer.NO_CONFIRM);

        ConfirmPublisher.BatchOutcome outcome = publisher.publishOsloBatch(batch(2));
        assertTrue(publisher.publishOsloBatch(batch(1)).complete());

        assertEquals(positions(0), outcome.confirmed());
        assertEquals("the broker did not confirm 1 of 2 messages within 1000 ms", outcome.problem());
        assertFalse(broker.channels.get(0).open, "the channel whose confirms are in doubt was closed");
        assertEquals(2, broker.published.get(2).channel(), "the next batch went out on a fresh channel");
    }

    @Test
    void aBatchThatCannotBePublishedAtAllFails() throws Exception {
        ConfirmPublisher publisher = publisher();
        broker.lastChannel().open = false;
        broker.open = false;

        IOException down = assertThrows(IOException.class, () -> publisher.publishOsloBatch(batch(2)));

        assertTrue(down.getMessage().startsWith("cannot publish to 'manila-data': "), down.getMessage());
        assertEquals(0, broker.published.size());
    }
}
