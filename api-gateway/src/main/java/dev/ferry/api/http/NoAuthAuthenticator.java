package dev.ferry.api.http;

import dev.ferry.api.service.ApiError;
import dev.ferry.messages.OsloTime;
import dev.ferry.messages.RequestContext;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * {@code noauth}: the token is {@code <user>:<project>}. Unlike Manila's noauth, only the user
 * {@code admin} is admin (roles admin, member, reader); everyone else is member and reader of the
 * project the token names.
 */
public final class NoAuthAuthenticator {
    public static final String ADMIN_USER = "admin";

    /** The caller's context carrying {@code requestId}; 401 when the token is missing or malformed. */
    public RequestContext authenticate(String token, String requestId, String remoteAddress) {
        if (token == null || token.isBlank()) {
            throw ApiError.unauthorized("Authentication required: send the header X-Auth-Token: <user>:<project> "
                    + "(this server runs with FERRY_AUTH=noauth).");
        }
        int colon = token.indexOf(':');
        String user = colon < 0 ? "" : token.substring(0, colon).trim();
        String project = colon < 0 ? "" : token.substring(colon + 1).trim();
        if (user.isEmpty() || project.isEmpty() || project.contains(":")) {
            throw ApiError.unauthorized("Malformed X-Auth-Token: noauth expects <user>:<project>, "
                    + "e.g. alice:demo-project.");
        }
        boolean admin = ADMIN_USER.equals(user);
        List<String> roles = admin ? List.of("admin", "member", "reader") : List.of("member", "reader");
        return new RequestContext(user, project, admin, roles, requestId, null, remoteAddress,
                OsloTime.format(LocalDateTime.now(ZoneOffset.UTC)));
    }
}
