package dev.ferry.api.keystone;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A Keystone token's roles as Ferry's policies see them: names in lower case, and Keystone's default implied
 * roles added when a deployment's token does not list them ({@code admin} implies {@code member}, which implies
 * {@code reader}). So {@code reader} alone may read but not write (403 on writes, as in Manila), {@code member}
 * reads and writes in its project, {@code admin} is an admin. Other roles are kept for policy files that name them.
 */
public final class KeystoneRoles {
    private KeystoneRoles() {
    }

    public static List<String> effective(List<String> tokenRoles) {
        Set<String> roles = new LinkedHashSet<>();
        for (String role : tokenRoles) {
            if (role != null && !role.isBlank()) {
                roles.add(role.trim().toLowerCase(Locale.ROOT));
            }
        }
        if (roles.contains("admin")) {
            roles.add("member");
        }
        if (roles.contains("member")) {
            roles.add("reader");
        }
        return List.copyOf(roles);
    }
}
