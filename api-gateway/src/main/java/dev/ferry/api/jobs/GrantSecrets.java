package dev.ferry.api.jobs;

import dev.ferry.api.db.JobAttemptRepository;
import dev.ferry.api.db.JobAttemptRepository.SecretHashes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The secret of a grant: 32 random bytes (base64url), made when a job is granted and sent to the claiming node
 * only. The database keeps its SHA-256, with the attempt it belongs to; a lease call or transition counts only
 * when it presents the secret of the attempt at the epoch it quotes. Secrets are never logged.
 */
final class GrantSecrets {
    private static final int BYTES = 32;
    private final SecureRandom random = new SecureRandom();
    private final JobAttemptRepository attempts;

    GrantSecrets(JobAttemptRepository attempts) {
        this.attempts = attempts;
    }

    /** What {@link #presented} found. */
    enum Proof {
        /** The secret is the attempt's. */
        VALID,
        /** No secret was presented. */
        MISSING,
        /** A secret was presented that is not the attempt's (or the attempt has none, or does not exist). */
        WRONG;

        /** How a log line says it, e.g. "presented no secret". */
        String describe() {
            return switch (this) {
                case VALID -> "presented the grant's secret";
                case MISSING -> "presented no secret";
                case WRONG -> "presented a secret that is not the grant's";
            };
        }
    }

    /**
     * A new secret for the attempt at {@code epoch}, its hash stored with the hash of the claim's token (null:
     * the claim had none); returns the secret, for the grant.
     */
    String issue(Connection c, String jobId, long epoch, String claimToken) throws SQLException {
        byte[] bytes = new byte[BYTES];
        random.nextBytes(bytes);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        if (!attempts.keepSecretHashes(c, jobId, epoch, hash(secret), hash(claimToken))) {
            throw new IllegalStateException("job " + jobId + " has no attempt at epoch " + epoch
                    + " to keep its grant's secret with");
        }
        return secret;
    }

    /** Whether {@code secret} is the secret of {@code jobId}'s attempt at {@code epoch}. */
    Proof presented(Connection c, String jobId, long epoch, String secret) throws SQLException {
        if (secret == null || secret.isEmpty()) {
            return Proof.MISSING;
        }
        Optional<SecretHashes> stored = attempts.secretHashes(c, jobId, epoch);
        return stored.isPresent() && matches(secret, stored.get().secretHash()) ? Proof.VALID : Proof.WRONG;
    }

    /** Whether {@code claimToken} is the token of the claim that got {@code jobId}'s attempt at {@code epoch}. */
    boolean sameClaim(Connection c, String jobId, long epoch, String claimToken) throws SQLException {
        if (claimToken == null || claimToken.isEmpty()) {
            return false;
        }
        Optional<SecretHashes> stored = attempts.secretHashes(c, jobId, epoch);
        return stored.isPresent() && matches(claimToken, stored.get().claimTokenHash());
    }

    /** The hex SHA-256 of {@code value}; null for null. */
    static String hash(String value) {
        if (value == null) {
            return null;
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static boolean matches(String presented, String storedHash) {
        return storedHash != null && MessageDigest.isEqual(hash(presented).getBytes(StandardCharsets.US_ASCII),
                storedHash.getBytes(StandardCharsets.US_ASCII));
    }
}
