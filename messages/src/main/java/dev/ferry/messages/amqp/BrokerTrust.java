package dev.ferry.messages.amqp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS context an {@code amqps://} connection uses: it trusts the certificate authorities of
 * {@code FERRY_AMQP_CA_FILE} (PEM, one or more certificates), or the JVM's trust store when that is unset.
 * Never a trust-everything manager.
 */
final class BrokerTrust {
    private BrokerTrust() {
    }

    static SSLContext context(Path caFile) throws IOException {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(caFile == null ? null : trustStore(caFile));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS for RabbitMQ" + (caFile == null ? "" : " with FERRY_AMQP_CA_FILE '"
                    + caFile + "'") + ": " + e.getMessage(), e);
        }
    }

    private static KeyStore trustStore(Path caFile) throws IOException, GeneralSecurityException {
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(caFile)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException e) {
            throw new IOException("FERRY_AMQP_CA_FILE '" + caFile + "' cannot be read (" + e.getMessage()
                    + "); give the PEM file of the CA that signed the broker's certificate", e);
        } catch (GeneralSecurityException e) {
            throw new IOException("FERRY_AMQP_CA_FILE '" + caFile + "' holds no readable PEM certificate ("
                    + e.getMessage() + ")", e);
        }
        if (certificates.isEmpty()) {
            throw new IOException("FERRY_AMQP_CA_FILE '" + caFile + "' holds no certificate; give the PEM file of "
                    + "the CA that signed the broker's certificate");
        }
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        int i = 0;
        for (Certificate certificate : certificates) {
            store.setCertificateEntry("ferry-amqp-ca-" + i++, certificate);
        }
        return store;
    }
}
