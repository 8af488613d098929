package dev.ferry.api.http;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PEM certificate chain and its private key as an in-memory key store, without BouncyCastle. The key may be
 * PKCS#8 ({@code BEGIN PRIVATE KEY}), PKCS#1 RSA ({@code BEGIN RSA PRIVATE KEY}) or SEC1 EC
 * ({@code BEGIN EC PRIVATE KEY}); encrypted keys are refused. The key must belong to the chain's first certificate.
 */
public record PemKeyStore(KeyStore keyStore, char[] password, X509Certificate certificate) {
    static final String ALIAS = "ferry-api";
    private static final Pattern KEY = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]*PRIVATE KEY)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    /** Reads both files; an IllegalArgumentException names the file at fault and what to do. */
    public static PemKeyStore load(Path certFile, Path keyFile) {
        List<X509Certificate> chain = certificates(certFile);
        PrivateKey key = privateKey(keyFile, chain.get(0));
        try {
            char[] password = UUID.randomUUID().toString().toCharArray();
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(ALIAS, key, password, chain.toArray(new Certificate[0]));
            return new PemKeyStore(store, password, chain.get(0));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("an in-memory PKCS12 key store could not be made: " + e, e);
        }
    }

    private static List<X509Certificate> certificates(Path file) {
        byte[] bytes = read(file, "FERRY_HTTP_TLS_CERT_FILE");
        try {
            List<X509Certificate> chain = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(bytes)).stream()
                    .map(X509Certificate.class::cast).toList();
            if (!chain.isEmpty()) {
                return chain;
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("FERRY_HTTP_TLS_CERT_FILE " + file + " is not a PEM certificate chain ("
                    + e.getMessage() + "); give the server certificate first, then its intermediates", e);
        }
        throw new IllegalArgumentException("FERRY_HTTP_TLS_CERT_FILE " + file + " holds no certificate; give the PEM "
                + "server certificate first, then its intermediates");
    }

    private static PrivateKey privateKey(Path file, X509Certificate certificate) {
        String text = new String(read(file, "FERRY_HTTP_TLS_KEY_FILE"), StandardCharsets.US_ASCII);
        Matcher m = KEY.matcher(text);
        if (!m.find()) {
            throw new IllegalArgumentException("FERRY_HTTP_TLS_KEY_FILE " + file + " holds no PEM private key; give an "
                    + "unencrypted key (BEGIN PRIVATE KEY, BEGIN RSA PRIVATE KEY or BEGIN EC PRIVATE KEY)");
        }
        String type = m.group(1);
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(m.group(2));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("FERRY_HTTP_TLS_KEY_FILE " + file + " is not valid PEM: " + e.getMessage(), e);
        }
        PublicKey publicKey = certificate.getPublicKey();
        byte[] pkcs8 = switch (type) {
            case "PRIVATE KEY" -> der;
            case "RSA PRIVATE KEY", "EC PRIVATE KEY" -> pkcs8(algorithmIdentifier(publicKey), der);
            default -> throw new IllegalArgumentException("FERRY_HTTP_TLS_KEY_FILE " + file + " holds a " + type
                    + ", which Ferry cannot read; give an unencrypted PKCS#8 key, e.g. made with "
                    + "`openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem`");
        };
        PrivateKey key;
        try {
            key = KeyFactory.getInstance(publicKey.getAlgorithm()).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("FERRY_HTTP_TLS_KEY_FILE " + file + " is not a " + publicKey.getAlgorithm()
                    + " private key as the certificate's public key is (" + e.getMessage() + ")", e);
        }
        if (!matches(key, publicKey)) {
            throw new IllegalArgumentException("FERRY_HTTP_TLS_KEY_FILE " + file + " is not the private key of the "
                    + "first certificate in FERRY_HTTP_TLS_CERT_FILE (" + certificate.getSubjectX500Principal()
                    + "); give the key that belongs to the server certificate");
        }
        return key;
    }

    private static boolean matches(PrivateKey key, PublicKey publicKey) {
        String algorithm = switch (publicKey.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "RSASSA-PSS" -> null;
            default -> publicKey.getAlgorithm();
        };
        if (algorithm == null) {
            return true;
        }
        try {
            byte[] probe = "ferry".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** The AlgorithmIdentifier of a SubjectPublicKeyInfo: the first element of its outer SEQUENCE. */
    private static byte[] algorithmIdentifier(PublicKey publicKey) {
        byte[] spki = publicKey.getEncoded();
        int contentStart = headerLength(spki, 0);
        int length = headerLength(spki, contentStart) + contentLength(spki, contentStart);
        return Arrays.copyOfRange(spki, contentStart, contentStart + length);
    }

    /** PrivateKeyInfo ::= SEQUENCE { version INTEGER 0, algorithm AlgorithmIdentifier, privateKey OCTET STRING }. */
    private static byte[] pkcs8(byte[] algorithmIdentifier, byte[] privateKey) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0x02, 0x01, 0x00});
        body.writeBytes(algorithmIdentifier);
        body.writeBytes(der(0x04, privateKey));
        return der(0x30, body.toByteArray());
    }

    private static byte[] der(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int n = content.length;
        if (n < 0x80) {
            out.write(n);
        } else {
            int bytes = (32 - Integer.numberOfLeadingZeros(n) + 7) / 8;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(n >>> (8 * i));
            }
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static int headerLength(byte[] der, int at) {
        int first = der[at + 1] & 0xff;
        return first < 0x80 ? 2 : 2 + (first & 0x7f);
    }

    private static int contentLength(byte[] der, int at) {
        int first = der[at + 1] & 0xff;
        if (first < 0x80) {
            return first;
        }
        int n = 0;
        for (int i = 0; i < (first & 0x7f); i++) {
            n = (n << 8) | (der[at + 2 + i] & 0xff);
        }
        return n;
    }

    private static byte[] read(Path file, String setting) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(setting + " " + file + " cannot be read (" + e
                    + "); give a readable PEM file", e);
        }
    }
}
