package dev.ferry.api.jobs;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.db.Database;
import dev.ferry.api.db.OutboxRepository;
import dev.ferry.api.db.Repositories;
import dev.ferry.api.model.OutboxMessage;
import dev.ferry.api.testing.Engine;
import dev.ferry.api.testing.Fixtures;
import dev.ferry.api.testing.TestDatabases;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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

    /**
     * Records publishes and confirms each; while down, every publish fails as an unreachable broker does; a body
     * listed in {@code nack} is published but refused.
     */
    private static final class Broker implements OutboxTransport {
        final List<String> received = new CopyOnWriteArrayList<>();
        final AtomicBoolean down = new AtomicBoolean();
        final AtomicInteger refused = new AtomicInteger();
        final Set<String> nack = ConcurrentHashMap.newKeySet();

        @Override
        public Confirms publish(List<OutboxMessage> casts) throws IOException {
            if (down.get()) {
                refused.incrementAndGet();
                throw new IOException("connection refused");
            }
            List<OutboxMessage> confirmed = new ArrayList<>();
            for (OutboxMessage cast : casts) {
                String body = new String(cast.body(), StandardCharsets.UTF_8);
                received.add(cast.exchange() + "/" + cast.routingKey() + ":" + body);
                if (!nack.contains(body)) {
                    confirmed.add(cast);
                }
            }
            return new Confirms(confirmed, confirmed.size() == casts.size() ? null : "nacked");
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
            public Confirms publish(List<OutboxMessage> casts) {
                casts.forEach(cast -> seen.add(cast.body()));
                return Confirms.all(casts);
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

    private List<String> unsentBodies() {
        return repos.database().read(c -> repos.outbox().unsent(c, 1000)).stream()
                .map(m -> new String(m.body(), StandardCharsets.UTF_8)).toList();
    }

    @Test
    void aBatchIsMarkedSentOnlyOnceTheBrokerConfirmedIt() throws Exception {
        write("manila-data", "one");
        write("manila-data", "two");
        CountDownLatch publishing = new CountDownLatch(1);
        CountDownLatch confirm = new CountDownLatch(1);
        List<Integer> unsentWhilePublishing = new CopyOnWriteArrayList<>();
        OutboxTransport waitsForConfirms = new OutboxTransport() {
            @Override
            public Confirms publish(List<OutboxMessage> casts) throws IOException {
                publishing.countDown();
                try {
                    confirm.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
                unsentWhilePublishing.add(unsent());
                return Confirms.all(casts);
            }

            @Override
            public void close() {
            }
        };
        try (OutboxRelay relay = new OutboxRelay(repos.database(), repos.outbox(), waitsForConfirms).start()) {
            assertTrue(publishing.await(10, TimeUnit.SECONDS));
            assertEquals(2, unsent(), "nothing is marked while the broker has not confirmed the batch");
            confirm.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> unsent() == 0);
        }
        assertEquals(List.of(2), unsentWhilePublishing, "the batch was published once, and marked after its confirms");
    }

    @Test
    void aNackedCastStaysUnsentAndGoesOutAgainLater() {
        write("manila-data", "one");
        write("manila-data", "two");
        write("manila-data", "three");
        broker.nack.add("two");
        try (OutboxRelay relay = new OutboxRelay(repos.database(), repos.outbox(), broker)) {
            relay.relayOnce();
            assertEquals(List.of("two"), unsentBodies(), "the confirmed casts were marked, the nacked one not");

            broker.nack.clear();
            relay.relayOnce();
        }
        assertEquals(List.of(), unsentBodies());
        assertEquals(List.of("openstack/manila-data:one", "openstack/manila-data:two", "openstack/manila-data:three",
                "openstack/manila-data:two"), broker.received);
    }

    /**
     * Two gateways' relays on one PostgreSQL database (each with its own pool), a broker that takes a moment to
     * confirm: each cast is published once, never by both.
     */
    @Test
    void twoRelaysOnOneDatabasePublishEachCastOnce() {
        Database postgres = dbs.fresh(Engine.POSTGRESQL);
        String[] url = dbs.connection(Engine.POSTGRESQL);
        OutboxRepository outbox = new OutboxRepository(Clock.systemUTC());
        int casts = 1000;
        postgres.inTransaction(c -> {
            for (int i = 0; i < casts; i++) {
                outbox.add(c, "openstack", "manila-data", ("cast-" + i).getBytes(StandardCharsets.UTF_8), "req-" + i);
            }
            return null;
        });
        Map<Long, AtomicInteger> publishes = new ConcurrentHashMap<>();
        OutboxTransport slowBroker = new OutboxTransport() {
            @Override
            public Confirms publish(List<OutboxMessage> batch) throws IOException {
                batch.forEach(m -> publishes.computeIfAbsent(m.id(), id -> new AtomicInteger()).incrementAndGet());
                try {
                    Thread.sleep(20); // the broker's confirms take a moment, as they do
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
                return Confirms.all(batch);
            }

            @Override
            public void close() {
            }
        };
        try (Database second = Database.open(url[0], url[1], url[2]);
             OutboxRelay first = new OutboxRelay(postgres, outbox, slowBroker);
             OutboxRelay other = new OutboxRelay(second, outbox, slowBroker)) {
            first.start();
            other.start();
            await().atMost(Duration.ofSeconds(30)).until(
                    () -> postgres.read(c -> outbox.unsent(c, casts)).isEmpty());
        }
        assertEquals(casts, publishes.size(), "every cast was published");
        long twice = publishes.values().stream().filter(count -> count.get() > 1).count();
        assertEquals(0, twice, "casts published more than once");
    }
}
