package dev.ferry.api.http;

import dev.ferry.messages.OsloTime;
import dev.ferry.messages.RequestContext;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Function;

/**
 * Who is calling (FERRY_AUTH chooses how this is decided). Every refusal is an
 * {@link dev.ferry.api.service.ApiError} 401 whose message says what was wrong and what to do, and
 * never repeats a token.
 */
public interface Authenticator {
    /** The role that makes a caller an admin, in every mode. */
    String ADMIN_ROLE = "admin";

    /**
     * The caller's context carrying {@code requestId}, from the request's headers ({@code headers} looks
     * one up by name, ignoring case, null when absent) and the TCP peer's address.
     */
    RequestContext authenticate(Function<String, String> headers, String peerAddress, String requestId);

    /** The {@code WWW-Authenticate} value sent with a 401, or null for none. */
    default String challenge() {
        return null;
    }

    /** A caller's context; it is an admin iff it has the role {@code admin}. */
    static RequestContext context(String user, String project, String projectName, List<String> roles,
                                  String requestId, String peerAddress) {
        boolean admin = roles.stream().anyMatch(ADMIN_ROLE::equalsIgnoreCase);
        return new RequestContext(user, project, admin, roles, requestId, projectName, peerAddress,
                OsloTime.format(LocalDateTime.now(ZoneOffset.UTC)));
    }
}
