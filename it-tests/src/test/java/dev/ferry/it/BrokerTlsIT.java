package dev.ferry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.messages.amqp.AmqpConnector;
import dev.ferry.messages.amqp.AmqpSettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code amqps://} against a real RabbitMQ TLS listener (a node the test starts on its own ports, with a CA and a
 * certificate for localhost/127.0.0.1 that the test makes with openssl): with FERRY_AMQP_CA_FILE a restore runs
 * through a gateway and a data node on it. A certificate that does not match the host name, one no trusted CA
 * signed, and a fake broker with a self-signed certificate for another name are refused with a message that says
 * so and what to check, before the password is sent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrokerTlsIT {
    private static final String PASSWORD = "broker-password-never-sent";
    private Path dir;
    private Path ca;
    private TlsBrokerNode broker;

    @BeforeAll
    void startBroker() throws Exception {
        Services.require();
        dir = Files.createTempDirectory("ferry-it-tls-");
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        ca = dir.resolve("ca.pem");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
                "-subj", "/CN=Ferry test CA");
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
                "-subj", "/CN=localhost");
        Files.writeString(dir.resolve("san.cnf"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
        openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "server.pem", "-days", "2", "-extfile", "san.cnf");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "other.key", "-out", "other.pem",
                "-days", "2", "-subj", "/CN=broker.other.example", "-addext", "subjectAltName=DNS:broker.other.example");
        openssl("pkcs12", "-export", "-in", "other.pem", "-inkey", "other.key", "-out", "other.p12",
                "-passout", "pass:changeit");
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                file.toFile().setReadable(true, false); // the node may read them whatever user it runs as
            }
        }
        broker = TlsBrokerNode.start(dir.resolve("node"), ca, dir.resolve("server.pem"), dir.resolve("server.key"));
    }

    @AfterAll
    void stopBroker() throws IOException {
        if (broker != null) {
            broker.close();
        }
        if (dir != null) {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private void openssl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0,
                () -> String.join(" ", command) + " failed: " + output);
    }

    private String uri(String host, int port) {
        return "amqps://guest@" + host + ":" + port + "/%2F";
    }

    private Map<String, String> amqps(String host, int port) throws IOException {
        Path password = Files.writeString(dir.resolve("amqp-password"), "guest\n");
        return Map.of("FERRY_AMQP_URI", uri(host, port), "FERRY_AMQP_CA_FILE", ca.toString(),
                "FERRY_AMQP_PASSWORD_FILE", password.toString());
    }

    @Test
    void withTheRightCaARestoreRunsOverTls() throws Exception {
        Map<String, String> tls = amqps("localhost", broker.tlsPort);
        try (FerrySystem system = FerrySystem.start("tls", true, tls)) {
            FerryProcess node = system.startDataNode("node-1", tls);
            assertTrue(node.log().contains("amqps://guest@localhost:" + broker.tlsPort), node.tail());
            ApiClient alice = system.user("alice", "p1");
            Path a = system.newExport("a");
            Files.writeString(a.resolve("f.txt"), "over TLS\n");
            String shareA = system.manageShare("a", "NFS", a, 1, "p1");
            String backup = system.createBackup(alice, shareA);
            String shareB = system.manageShare("b", "NFS", system.newExport("b"), 1, "p1");
            assertEquals(202, alice.post("/v2/share-backups/" + backup + "/action", Map.of("restore", shareB)).status());
            system.awaitShare(shareB, "available", Duration.ofSeconds(60));
            assertEquals(TreeSnapshot.of(a), TreeSnapshot.of(system.exports.resolve("b")));
        }
    }

    @Test
    void aCertificateForAnotherHostIsRefused() {
        // 127.0.0.2 reaches the same listener, but the certificate names only localhost and 127.0.0.1
        AmqpSettings settings = new AmqpSettings(uri("127.0.0.2", broker.tlsPort), "openstack", true, PASSWORD, ca);

        IOException refused = assertThrows(IOException.class, () -> new AmqpConnector(settings).open("tls-it"));

        String message = refused.getMessage();
        assertTrue(message.contains("127.0.0.2:" + broker.tlsPort) && message.contains("does not match the host name")
                && message.contains("FERRY_AMQP_URI"), message);
        assertFalse(message.contains(PASSWORD), message);
    }

    @Test
    void withoutTheCaFileTheJvmTrustStoreRefusesTheTestCa() {
        AmqpSettings settings = new AmqpSettings(uri("localhost", broker.tlsPort), "openstack", true, PASSWORD, null);

        IOException refused = assertThrows(IOException.class, () -> new AmqpConnector(settings).open("tls-it"));

        assertTrue(refused.getMessage().contains("is not trusted")
                && refused.getMessage().contains("Set FERRY_AMQP_CA_FILE"), refused.getMessage());
    }

    @Test
    void aFakeBrokerWithASelfSignedCertificateForAnotherNameNeverGetsThePassword() throws Exception {
        try (FakeTlsBroker fake = new FakeTlsBroker(dir.resolve("other.p12"))) {
            Path password = Files.writeString(dir.resolve("fake-password"), PASSWORD + "\n");
            Map<String, String> env = new java.util.HashMap<>(Map.of("FERRY_AMQP_URI", uri("localhost", fake.port()),
                    "FERRY_AMQP_CA_FILE", ca.toString(), "FERRY_AMQP_PASSWORD_FILE", password.toString(),
                    "FERRY_HOST", "tls-node", "FERRY_BACKUP_EXPORT", dir.toString(), "FERRY_MOUNT_ROOT",
                    dir.resolve("mnt").toString(), "FERRY_SHARE_MOUNT_TEMPLATE", "", "FERRY_BACKUP_MOUNT_TEMPLATE", ""));
            FerryProcess node = FerryProcess.start("tls-fake-broker-node", dir, env, "data-manager");
            int exit = node.awaitExit(Duration.ofSeconds(60));

            assertNotEquals(0, exit, node.log());
            String log = node.log();
            assertTrue(log.contains("refused the TLS connection to RabbitMQ at localhost:" + fake.port())
                    && log.contains("is not trusted") && log.contains("FERRY_AMQP_CA_FILE"), log);
            assertFalse(log.contains(PASSWORD), "the password is in no log line");
            assertTrue(fake.handshakes() > 0, "the node did reach the fake broker");
            assertEquals(0, fake.bytesAfterHandshake(), "nothing, so no password, was sent over the connection");
        }
    }

    /** A TLS server presenting a self-signed certificate for another name; counts what arrives after a handshake. */
    private static final class FakeTlsBroker implements AutoCloseable {
        private final SSLServerSocket server;
        private final Thread acceptor;
        private final AtomicInteger handshakes = new AtomicInteger();
        private final AtomicInteger bytes = new AtomicInteger();

        FakeTlsBroker(Path pkcs12) throws Exception {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(pkcs12)) {
                keys.load(in, "changeit".toCharArray());
            }
            KeyManagerFactory managers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            managers.init(keys, "changeit".toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(managers.getKeyManagers(), null, null);
            server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 10,
                    InetAddress.getByName("127.0.0.1"));
            acceptor = new Thread(this::serve, "fake-tls-broker");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return server.getLocalPort();
        }

        int handshakes() {
            return handshakes.get();
        }

        int bytesAfterHandshake() {
            return bytes.get();
        }

        private void serve() {
            while (!server.isClosed()) {
                try (Socket socket = server.accept()) {
                    handshakes.incrementAndGet();
                    SSLSocket tls = (SSLSocket) socket;
                    tls.setSoTimeout(5_000);
                    tls.startHandshake();
                    byte[] buffer = new byte[4096];
                    for (int n; (n = tls.getInputStream().read(buffer)) > 0; ) {
                        bytes.addAndGet(n);
                    }
                } catch (IOException e) {
                    // the client refused the certificate: the handshake fails and nothing is read
                }
            }
        }

        @Override
        public void close() throws IOException, InterruptedException {
            server.close();
            acceptor.join(10_000);
        }
    }
}
