package dev.ferry.api.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API's TLS certificate from PEM files, reloaded when the files change: every {@code interval} the files are
 * read and, when their bytes differ from what is served and they make a valid certificate and key, new
 * connections get the new certificate (open connections keep theirs). A pair that does not load is logged and
 * the old certificate stays.
 */
final class TlsCertificates implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TlsCertificates.class);
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(2);
    private final Path certFile;
    private final Path keyFile;
    private final SslContextFactory.Server factory = new SslContextFactory.Server();
    private final ScheduledExecutorService watcher;
    private byte[] served;

    /** Loads the files now (an IllegalArgumentException says what is wrong with them) and watches them. */
    TlsCertificates(Path certFile, Path keyFile, Duration interval) {
        this.certFile = certFile;
        this.keyFile = keyFile;
        this.served = digest();
        PemKeyStore pem = PemKeyStore.load(certFile, keyFile);
        use(factory, pem);
        factory.setSniRequired(false);
        LOG.info("HTTPS with the certificate for {} from {}", pem.certificate().getSubjectX500Principal(), certFile);
        this.watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ferry-tls-reload");
            t.setDaemon(true);
            return t;
        });
        watcher.scheduleWithFixedDelay(this::reloadIfChanged, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    SslContextFactory.Server factory() {
        return factory;
    }

    private void reloadIfChanged() {
        try {
            byte[] now = digest();
            if (now == null || Arrays.equals(now, served)) {
                return;
            }
            PemKeyStore pem = PemKeyStore.load(certFile, keyFile);
            factory.reload(f -> use(f, pem));
            served = now;
            LOG.info("HTTPS certificate reloaded from {}: now {}, valid until {}", certFile,
                    pem.certificate().getSubjectX500Principal(), pem.certificate().getNotAfter().toInstant());
        } catch (IllegalArgumentException e) {
            LOG.warn("the changed TLS files were not loaded, the previous certificate stays: {}", e.getMessage());
        } catch (Exception e) {
            LOG.warn("reloading the TLS certificate from {} failed, the previous certificate stays: {}", certFile,
                    e.toString());
        }
    }

    private static void use(SslContextFactory factory, PemKeyStore pem) {
        factory.setKeyStore(pem.keyStore());
        factory.setKeyStorePassword(new String(pem.password()));
        factory.setKeyManagerPassword(new String(pem.password()));
        factory.setCertAlias(PemKeyStore.ALIAS);
    }

    /** A digest of both files' bytes (null when either cannot be read: a rename in progress). */
    private byte[] digest() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(Files.readAllBytes(certFile));
            sha.update(Files.readAllBytes(keyFile));
            return sha.digest();
        } catch (IOException e) {
            return null;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    @Override
    public void close() {
        watcher.shutdownNow();
    }
}
