package dev.ferry.api.keystone;

import java.util.Optional;

/** Asks Keystone about a token: its identity when valid, empty when Keystone says it is not (unknown, expired, revoked). */
public interface TokenValidator {
    /** @throws KeystoneUnavailableException when Keystone cannot answer */
    Optional<KeystoneIdentity> validate(String token);
}
