package dev.ferry.api.keystone;

import java.time.Instant;
import java.util.List;

/**
 * What Keystone said about a valid token: the user, the project it is scoped to (null when it is not
 * project-scoped), the roles it carries as Keystone lists them, and when it expires.
 */
public record KeystoneIdentity(String userId, String userName, String projectId, String projectName,
                               List<String> roles, Instant expiresAt) {
    public KeystoneIdentity {
        roles = List.copyOf(roles == null ? List.of() : roles);
    }
}
