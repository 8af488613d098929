package dev.ferry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * /readyz of a real api-gateway and data node follows their broker: 503 naming the broker while it is stopped,
 * 200 again once it is back. The broker is a RabbitMQ node of the test's own; /healthz stays 200 throughout.
 */
class ReadinessIT {
    @Test
    void readyzTurnsUnreadyWhileTheBrokerIsStoppedAndReadyOnceItIsBack() throws Exception {
        Path dir = Files.createTempDirectory("ferry-it-readiness-broker-");
        try (OwnBrokerNode broker = OwnBrokerNode.start(dir);
             FerrySystem system = FerrySystem.start("readiness", false, Map.of("FERRY_AMQP_URI", broker.amqpUri()))) {
            FerryProcess dataNode = system.startDataNode("node-1", Map.of("FERRY_AMQP_URI", broker.amqpUri()));
            ManagementScrape gateway = new ManagementScrape(system.api().managementUrl(Duration.ofSeconds(30)));
            ManagementScrape node = new ManagementScrape(dataNode.managementUrl(Duration.ofSeconds(30)));
            awaitStatus(gateway, "/readyz", 200, "the api-gateway is ready");
            awaitStatus(node, "/readyz", 200, "the data node is ready");

            broker.stop();
            awaitStatus(gateway, "/readyz", 503, "the api-gateway is unready without its broker");
            awaitStatus(node, "/readyz", 503, "the data node is unready without its broker");
            assertTrue(gateway.get("/readyz").body().contains("broker"), () -> "names the broker: "
                    + ManagementScrapeBody.of(gateway));
            assertTrue(node.get("/readyz").body().contains("broker"), () -> "names the broker: "
                    + ManagementScrapeBody.of(node));
            assertEquals(200, gateway.status("/healthz"), "alive all the same");
            assertEquals(200, node.status("/healthz"), "alive all the same");

            broker.startAgain();
            awaitStatus(gateway, "/readyz", 200, "the api-gateway is ready again");
            awaitStatus(node, "/readyz", 200, "the data node is ready again");
        } finally {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static void awaitStatus(ManagementScrape listener, String path, int status, String what) {
        Awaitility.await(what).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> listener.status(path) == status);
    }

    /** The body of /readyz, for a failure's message. */
    private static final class ManagementScrapeBody {
        static String of(ManagementScrape listener) {
            try {
                return listener.get("/readyz").body();
            } catch (Exception e) {
                return e.toString();
            }
        }
    }
}
