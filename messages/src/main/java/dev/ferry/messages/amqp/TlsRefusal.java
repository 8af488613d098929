package dev.ferry.messages.amqp;

import java.security.cert.CertificateException;
import javax.net.ssl.SSLHandshakeException;

/** Tells a broker certificate Ferry refused (untrusted, or not for the host named) from other connection errors. */
final class TlsRefusal {
    private TlsRefusal() {
    }

    static boolean in(Throwable error) {
        for (Throwable t = error; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof SSLHandshakeException || t instanceof CertificateException) {
                return true;
            }
        }
        return false;
    }

    /** "does not match the host name (...)" or "is not trusted (...)", with the TLS library's own words. */
    static String describe(Throwable error) {
        String detail = null;
        for (Throwable t = error; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof CertificateException || t instanceof SSLHandshakeException) {
                detail = t.getMessage();
            }
        }
        String text = detail == null ? "" : detail;
        String lower = text.toLowerCase(java.util.Locale.ROOT);
        boolean mismatch = lower.contains("no subject alternative") || lower.contains("no name matching")
                || lower.contains("hostname");
        return (mismatch ? "does not match the host name" : "is not trusted") + " (" + text + ")";
    }
}
