package dev.ferry.api.jobs;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.api.db.Repositories;
import dev.ferry.api.testing.Engine;
import dev.ferry.api.testing.Fixtures;
import dev.ferry.api.testing.TestDatabases;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The relay against a broker stand-in that records what it was handed and can be switched off. */
class OutboxRelayTest {
    private TestDatabases dbs;
    private Repositories repos;
    private final Broker broker = new Broker();

    /** Records publishes; while down, every publish fails as an unreachable broker does. */
    private static final class Broker implements OutboxTransport {
        final List<String> received = new CopyOnWriteArrayList<>();
        final AtomicBoolean down = new AtomicBoolean();
        final AtomicInteger refused = new AtomicInteger();

        @Override
        public void publish(String exchange, String routingKey, byte[] body) throws IOException {
            if (down.get()) {
                refused.incrementAndGet();
                throw new IOException("connection refused");
            }
            received.add(exchange + "/" + routingKey + ":" + new String(body, StandardCharsets.UTF_8));
        }

        @Override
        public void close() {
        }
    }

    @BeforeEach
    void open() {
        dbs = new TestDatabases();
        repos = new Fixtures(dbs.fresh(Engine.H2)).repos();
    }

    @AfterEach
    void close() {
        dbs.close();
    }

    private void write(String routingKey, String body) {
        repos.database().inTransaction(c -> repos.outbox().add(c, "openstack", routingKey,
                body.getBytes(StandardCharsets.UTF_8), "req-test"));
    }

    private int unsent() {
        return repos.database().read(c -> repos.outbox().unsent(c, 1000)).size();
    }

    @Test
    void publishesInOrderAndMarksEachSent() {
        write("manila-data", "one");
        write("manila-data.host-1", "two");
        try (OutboxRelay relay = new OutboxRelay(repos.database(), repos.outbox(), broker).start()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> unsent() == 0);
            write("manila-data", "three");
            relay.wake();
            await().atMost(Duration.ofSeconds(10)).until(() -> unsent() == 0);
        }
        assertEquals(List.of("openstack/manila-data:one", "openstack/manila-data.host-1:two",
                "openstack/manila-data:three"), broker.received);
    }

    @Test
    void aBrokerOutageDelaysCastsButLosesNone() {
        broker.down.set(true);
        write("manila-data", "during-outage-1");
        write("manila-data", "during-outage-2");
        try (OutboxRelay relay = new OutboxRelay(repos.database(), repos.outbox(), broker).start()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> broker.refused.get() >= 2);
            assertEquals(2, unsent(), "nothing is marked sent while the broker is away");
            broker.down.set(false);
            relay.wake();
            await().atMost(Duration.ofSeconds(15)).until(() -> unsent() == 0);
        }
        assertEquals(List.of("openstack/manila-data:during-outage-1", "openstack/manila-data:during-outage-2"),
                broker.received);
    }

    @Test
    void storedBytesArePublishedUnchanged() {
        byte[] body = "{\"oslo.version\": \"2.0\", \"oslo.message\": \"{\\\"method\\\": \\\"x\\\"}\"}"
                .getBytes(StandardCharsets.UTF_8);
        repos.database().inTransaction(c -> repos.outbox().add(c, "openstack", "manila-data", body, "req-bytes"));
        List<byte[]> seen = new CopyOnWriteArrayList<>();
        OutboxTransport capture = new OutboxTransport() {
            @Override
            public void publish(String exchange, String routingKey, byte[] published) {
                seen.add(published);
            }

            @Override
            public void close() {
            }
        };
        OutboxRelay relay = new OutboxRelay(repos.database(), repos.outbox(), capture).start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 1);
        } finally {
            relay.close();
        }
        assertArrayEquals(body, seen.get(0));
    }
}
