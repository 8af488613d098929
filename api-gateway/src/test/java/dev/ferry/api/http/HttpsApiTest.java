package dev.ferry.api.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.ApiConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * With FERRY_HTTP_TLS_CERT_FILE and FERRY_HTTP_TLS_KEY_FILE the API port speaks HTTPS only, with certificates
 * that openssl makes for the test (signed by a test CA that the client trusts), and picks up replaced files
 * for new connections. Keys may be PKCS#8, PKCS#1 RSA or SEC1 EC; half a setting or a foreign key is refused.
 */
class HttpsApiTest extends InProcessGateway {
    private Path dir;
    private Path certFile;
    private Path keyFile;

    @Override
    protected ApiConfig config(ApiConfig noauth) throws Exception {
        dir = Files.createTempDirectory("ferry-https-test");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
                "-subj", "/CN=Ferry Test CA");
        Files.writeString(dir.resolve("san.cnf"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
        certFile = dir.resolve("tls.crt");
        keyFile = dir.resolve("tls.key");
        serverCertificate("ferry-one", "rsa:2048", certFile, keyFile);
        return noauth.withHttpServer(HttpServerSettings.DEFAULTS.withTls(certFile, keyFile));
    }

    @AfterAll
    void removeFiles() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Test
    void theApiSpeaksHttpsWithTheCertificateAndNotPlainHttp() throws Exception {
        HttpResponse<String> r = https("/healthz");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("CN=Ferry Test CA", peer(r).getIssuerX500Principal().getName());
        assertTrue(peer(r).getSubjectX500Principal().getName().startsWith("CN=ferry-"), peer(r).toString());
        HttpResponse<String> versions = https("/");
        assertEquals(200, versions.statusCode());
        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/healthz"))
                .timeout(Duration.ofSeconds(10)).build();
        assertThrows(IOException.class, () -> plain.send(request, HttpResponse.BodyHandlers.ofString()),
                "plain HTTP on the HTTPS port gets no answer");
    }

    @Test
    void replacedCertificateFilesAreServedToNewConnections() throws Exception {
        Path newCert = dir.resolve("new.crt");
        Path newKey = dir.resolve("new.key");
        serverCertificate("ferry-two", "rsa:2048", newCert, newKey);
        Files.move(newKey, keyFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.move(newCert, certFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).until(
                () -> peer(https("/healthz")).getSubjectX500Principal().getName().equals("CN=ferry-two"));
        assertEquals(200, https("/healthz").statusCode());
    }

    @Test
    void pkcs1RsaAndEcKeysLoadAndAForeignKeyIsRefused() throws Exception {
        Path rsaKey = dir.resolve("pkcs1.key");
        openssl("genrsa", "-traditional", "-out", rsaKey.toString(), "2048");
        assertTrue(Files.readString(rsaKey).contains("BEGIN RSA PRIVATE KEY"));
        Path rsaCert = dir.resolve("pkcs1.crt");
        signedCertificate("ferry-rsa", rsaKey, rsaCert);
        assertEquals("CN=ferry-rsa", PemKeyStore.load(rsaCert, rsaKey).certificate().getSubjectX500Principal().getName());

        Path ecKey = dir.resolve("ec.key");
        openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", ecKey.toString());
        assertTrue(Files.readString(ecKey).contains("BEGIN EC PRIVATE KEY"));
        Path ecCert = dir.resolve("ec.crt");
        signedCertificate("ferry-ec", ecKey, ecCert);
        assertEquals("CN=ferry-ec", PemKeyStore.load(ecCert, ecKey).certificate().getSubjectX500Principal().getName());

        IllegalArgumentException foreign = assertThrows(IllegalArgumentException.class,
                () -> PemKeyStore.load(rsaCert, dir.resolve("ca.key")));
        assertTrue(foreign.getMessage().contains("is not the private key of the first certificate"),
                foreign.getMessage());
        IllegalArgumentException notPem = assertThrows(IllegalArgumentException.class,
                () -> PemKeyStore.load(rsaKey, rsaKey));
        assertTrue(notPem.getMessage().startsWith("FERRY_HTTP_TLS_CERT_FILE"), notPem.getMessage());
    }

    @Test
    void halfATlsSettingIsRefusedWithWhatToSet() {
        IllegalArgumentException onlyCert = assertThrows(IllegalArgumentException.class,
                () -> ApiConfig.fromEnv(Map.of("FERRY_HTTP_TLS_CERT_FILE", certFile.toString())));
        assertTrue(onlyCert.getMessage().contains("FERRY_HTTP_TLS_KEY_FILE is not"), onlyCert.getMessage());
        IllegalArgumentException onlyKey = assertThrows(IllegalArgumentException.class,
                () -> ApiConfig.fromEnv(Map.of("FERRY_HTTP_TLS_KEY_FILE", keyFile.toString())));
        assertTrue(onlyKey.getMessage().contains("FERRY_HTTP_TLS_CERT_FILE is not"), onlyKey.getMessage());
        ApiConfig both = ApiConfig.fromEnv(Map.of("FERRY_HTTP_TLS_CERT_FILE", certFile.toString(),
                "FERRY_HTTP_TLS_KEY_FILE", keyFile.toString()));
        assertTrue(both.tls());
        assertTrue(!ApiConfig.fromEnv(Map.of()).tls());
    }

    private HttpResponse<String> https(String path) throws Exception {
        // a new client each time: a new connection, which gets the certificate served now
        HttpClient client = HttpClient.newBuilder().sslContext(trustingTheTestCa())
                .connectTimeout(Duration.ofSeconds(5)).build();
        return client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + gateway.port() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static X509Certificate peer(HttpResponse<?> response) throws Exception {
        return (X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0];
    }

    private SSLContext trustingTheTestCa() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(dir.resolve("ca.pem"))) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    /** A PKCS#8 key and a certificate for localhost signed by the test CA; the file holds the chain. */
    private void serverCertificate(String name, String keyType, Path cert, Path key) throws Exception {
        openssl("req", "-newkey", keyType, "-nodes", "-keyout", key.toString(), "-out", name + ".csr",
                "-subj", "/CN=" + name);
        sign(name, cert);
    }

    private void signedCertificate(String name, Path key, Path cert) throws Exception {
        openssl("req", "-new", "-key", key.toString(), "-out", name + ".csr", "-subj", "/CN=" + name);
        sign(name, cert);
    }

    private void sign(String name, Path cert) throws Exception {
        Path leaf = dir.resolve(name + ".leaf.pem");
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", leaf.toString(), "-days", "2", "-extfile", "san.cnf");
        Path chain = dir.resolve(name + ".chain.tmp");
        Files.writeString(chain, Files.readString(leaf) + Files.readString(dir.resolve("ca.pem")));
        Files.move(chain, cert, StandardCopyOption.REPLACE_EXISTING);
    }

    private void openssl(String... args) throws Exception {
        Process p = new ProcessBuilder(Stream.concat(Stream.of("openssl"), Stream.of(args)).toList())
                .directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "openssl " + List.of(args) + " did not finish");
        assertEquals(0, p.exitValue(), "openssl " + List.of(args) + ": " + output);
    }
}
