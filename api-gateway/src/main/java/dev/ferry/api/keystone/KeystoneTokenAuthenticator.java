package dev.ferry.api.keystone;

import dev.ferry.api.http.Authenticator;
import dev.ferry.api.service.ApiError;
import dev.ferry.messages.RequestContext;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code keystone}: Ferry validates the Keystone token in {@code X-Auth-Token} itself, as keystonemiddleware's
 * auth_token does, through a {@link TokenCache}; requests that arrive together with the same new token share one
 * question to Keystone. The caller is the token's user in the project it is scoped to, with its roles
 * ({@link KeystoneRoles}). A missing or invalid token is a 401 with {@code WWW-Authenticate: Keystone uri="…"};
 * Keystone being unreachable or failing is a 503 (the caller's token may be fine).
 */
public final class KeystoneTokenAuthenticator implements Authenticator {
    private static final Logger LOG = LoggerFactory.getLogger(KeystoneTokenAuthenticator.class);
    private final TokenValidator validator;
    private final TokenCache cache;
    private final String challenge;
    private final ConcurrentHashMap<String, CompletableFuture<Optional<KeystoneIdentity>>> asking =
            new ConcurrentHashMap<>();

    /** {@code wwwAuthenticateUri}: where clients get tokens ({@link KeystoneSettings#wwwAuthenticateUri()}). */
    public KeystoneTokenAuthenticator(TokenValidator validator, TokenCache cache, String wwwAuthenticateUri) {
        this.validator = validator;
        this.cache = cache;
        this.challenge = "Keystone uri=\"" + wwwAuthenticateUri + "\"";
    }

    @Override
    public RequestContext authenticate(Function<String, String> headers, String peerAddress, String requestId) {
        String token = headers.apply("X-Auth-Token");
        if (token == null || token.isBlank()) {
            throw ApiError.unauthorized("Authentication required: send a Keystone token in X-Auth-Token (get one "
                    + "with: openstack token issue).");
        }
        String key = TokenCache.key(token.trim());
        Optional<TokenCache.Entry> cached = cache.get(key);
        KeystoneIdentity identity = cached.isPresent() ? cached.get().identity() : ask(key, token.trim());
        if (identity == null) {
            throw ApiError.unauthorized("The Keystone token in X-Auth-Token is not valid (unknown, expired or "
                    + "revoked): get a new one with: openstack token issue.");
        }
        if (identity.projectId() == null) {
            throw ApiError.unauthorized("The Keystone token in X-Auth-Token is not scoped to a project: get a "
                    + "project-scoped token (openstack token issue with --os-project-name).");
        }
        return Authenticator.context(identity.userId(), identity.projectId(), identity.projectName(),
                KeystoneRoles.effective(identity.roles()), requestId, peerAddress);
    }

    @Override
    public String challenge() {
        return challenge;
    }

    private KeystoneIdentity ask(String key, String token) {
        CompletableFuture<Optional<KeystoneIdentity>> mine = new CompletableFuture<>();
        CompletableFuture<Optional<KeystoneIdentity>> running = asking.putIfAbsent(key, mine);
        try {
            if (running != null) {
                return running.join().orElse(null);
            }
            Optional<KeystoneIdentity> answer = validator.validate(token);
            answer.ifPresentOrElse(found -> cache.valid(key, found), () -> cache.invalid(key));
            mine.complete(answer);
            return answer.orElse(null);
        } catch (KeystoneUnavailableException e) {
            mine.completeExceptionally(e);
            throw unavailable(e);
        } catch (CompletionException e) {
            if (e.getCause() instanceof KeystoneUnavailableException unavailable) {
                throw unavailable(unavailable);
            }
            throw e;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            if (running == null) {
                asking.remove(key, mine);
            }
        }
    }

    private static ApiError unavailable(KeystoneUnavailableException e) {
        LOG.warn("cannot authenticate: {}", e.getMessage());
        return new ApiError(503, "The identity service (Keystone) could not be asked to check the token in "
                + "X-Auth-Token, so the request was not served; try again later.");
    }
}
