package dev.ferry.api.http;

import dev.ferry.api.service.ApiError;
import dev.ferry.messages.RequestContext;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * {@code keystone-proxy}: an authenticating front proxy (keystonemiddleware's auth_token, or one like it) has
 * checked the token and passes the identity in {@code X-User-Id}, {@code X-Project-Id} and {@code X-Roles}
 * (comma-separated), with {@code X-Identity-Status: Confirmed}. Those headers are believed only when the
 * TCP peer is one of FERRY_TRUSTED_PROXIES, since anyone else could write them.
 */
public final class KeystoneProxyAuthenticator implements Authenticator {
    private final TrustedProxies trusted;

    public KeystoneProxyAuthenticator(TrustedProxies trusted) {
        this.trusted = trusted;
    }

    @Override
    public RequestContext authenticate(Function<String, String> headers, String peerAddress, String requestId) {
        if (!trusted.contains(peerAddress)) {
            throw ApiError.unauthorized("This request came from " + peerAddress + ", which is not a trusted proxy "
                    + "(FERRY_TRUSTED_PROXIES=" + trusted + "): with FERRY_AUTH=keystone-proxy, send requests through "
                    + "the authenticating proxy, or add the proxy's address to FERRY_TRUSTED_PROXIES.");
        }
        String status = headers.apply("X-Identity-Status");
        if (status == null || !status.trim().equalsIgnoreCase("Confirmed")) {
            throw ApiError.unauthorized("The authenticating proxy did not confirm an identity (X-Identity-Status "
                    + (status == null ? "is missing" : "is not Confirmed")
                    + "): send a valid Keystone token in X-Auth-Token.");
        }
        String user = required(headers, "X-User-Id");
        String project = required(headers, "X-Project-Id");
        String roleList = headers.apply("X-Roles");
        List<String> roles = roleList == null ? List.of() : Arrays.stream(roleList.split(","))
                .map(String::trim).filter(r -> !r.isEmpty()).toList();
        String projectName = headers.apply("X-Project-Name");
        return Authenticator.context(user, project, projectName == null || projectName.isBlank() ? null
                : projectName.trim(), roles, requestId, peerAddress);
    }

    private static String required(Function<String, String> headers, String name) {
        String value = headers.apply(name);
        if (value == null || value.isBlank()) {
            throw ApiError.unauthorized("The authenticating proxy sent no " + name + " header: with "
                    + "FERRY_AUTH=keystone-proxy, a confirmed identity needs X-User-Id and X-Project-Id (a "
                    + "project-scoped token).");
        }
        return value.trim();
    }
}
