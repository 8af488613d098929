package dev.ferry.api.http;

import dev.ferry.api.service.ApiError;
import dev.ferry.messages.RequestContext;
import java.util.List;
import java.util.function.Function;

/**
 * {@code noauth}: the token is {@code <user>:<project>}. Unlike Manila's noauth, only the user
 * {@code admin} is admin (roles admin, member, reader); everyone else is member and reader of the
 * project the token names.
 */
public final class NoAuthAuthenticator implements Authenticator {
    public static final String ADMIN_USER = "admin";

    /** 401 when the token is missing or malformed. */
    @Override
    public RequestContext authenticate(Function<String, String> headers, String peerAddress, String requestId) {
        String token = headers.apply("X-Auth-Token");
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
        List<String> roles = ADMIN_USER.equals(user) ? List.of(ADMIN_ROLE, "member", "reader")
                : List.of("member", "reader");
        return Authenticator.context(user, project, null, roles, requestId, peerAddress);
    }
}
