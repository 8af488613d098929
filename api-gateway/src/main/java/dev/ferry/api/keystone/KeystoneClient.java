package dev.ferry.api.keystone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.messages.Json;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keystone's Identity v3 API as Ferry uses it, over the JDK's HTTP client: Ferry's service user gets a token
 * ({@code POST /auth/tokens}, password, project-scoped), kept until shortly before it expires or Keystone
 * refuses it, and validates callers' tokens with it ({@code GET /auth/tokens} and {@code X-Subject-Token}), as
 * keystonemiddleware's auth_token does. Every request to Keystone is counted in
 * {@code ferry_keystone_requests_total{outcome}}. Tokens are never logged.
 */
public final class KeystoneClient implements TokenValidator {
    private static final Logger LOG = LoggerFactory.getLogger(KeystoneClient.class);
    /** A service token is renewed this long before it expires. */
    static final Duration RENEW_BEFORE = Duration.ofMinutes(2);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private final KeystoneSettings settings;
    private final HttpClient http;
    private final Clock clock;
    private final MeterRegistry registry;
    private ServiceToken serviceToken;

    private record ServiceToken(String value, Instant renewAt) {
    }

    public KeystoneClient(KeystoneSettings settings, MeterRegistry registry, Clock clock) {
        this.settings = settings;
        this.registry = registry;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .version(HttpClient.Version.HTTP_1_1).build();
        for (String outcome : List.of("token_issued", "valid", "invalid", "refused", "unavailable")) {
            counter(outcome);
        }
    }

    @Override
    public Optional<KeystoneIdentity> validate(String token) {
        String service = serviceToken(false);
        HttpResponse<String> response = validateWith(service, token);
        if (response.statusCode() == 401) {
            // the service token expired early or was revoked: get a new one, once
            response = validateWith(serviceToken(true), token);
        }
        int status = response.statusCode();
        if (status == 200) {
            counter("valid").increment();
            return Optional.of(identity(parse(response.body())));
        }
        if (status == 404) {
            counter("invalid").increment();
            return Optional.empty();
        }
        if (status == 401 || status == 403) {
            counter("refused").increment();
            throw new KeystoneUnavailableException("Keystone refused to validate tokens for Ferry's service user "
                    + settings.user() + " (HTTP " + status + "); give it the service role on project "
                    + settings.project() + ": openstack role add --project " + settings.project() + " --user "
                    + settings.user() + " service");
        }
        counter("unavailable").increment();
        throw new KeystoneUnavailableException("Keystone at " + settings.identityUrl() + " answered HTTP " + status
                + " when asked to validate a token");
    }

    private HttpResponse<String> validateWith(String serviceToken, String token) {
        HttpRequest request = HttpRequest.newBuilder(settings.tokensUrl()).timeout(TIMEOUT).GET()
                .header("X-Auth-Token", serviceToken).header("X-Subject-Token", token)
                .header("Accept", "application/json").header("User-Agent", "ferry").build();
        return send(request, "validate a token");
    }

    /** The service user's token, obtained now when there is none, it is due for renewal, or {@code renew}. */
    private synchronized String serviceToken(boolean renew) {
        if (!renew && serviceToken != null && clock.instant().isBefore(serviceToken.renewAt())) {
            return serviceToken.value();
        }
        HttpRequest request = HttpRequest.newBuilder(settings.tokensUrl()).timeout(TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofString(passwordAuth()))
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .header("User-Agent", "ferry").build();
        HttpResponse<String> response = send(request, "issue a token for Ferry's service user");
        if (response.statusCode() != 201 && response.statusCode() != 200) {
            String what = response.statusCode() == 401
                    ? "check FERRY_KEYSTONE_USER, FERRY_KEYSTONE_PASSWORD, FERRY_KEYSTONE_PROJECT and their domains"
                    : "Keystone may be failing";
            counter(response.statusCode() >= 500 ? "unavailable" : "refused").increment();
            throw new KeystoneUnavailableException("Keystone at " + settings.identityUrl() + " refused a token for "
                    + "Ferry's service user " + settings.user() + " (HTTP " + response.statusCode() + "): " + what);
        }
        counter("token_issued").increment();
        String value = response.headers().firstValue("X-Subject-Token").orElseThrow(() ->
                new KeystoneUnavailableException("Keystone at " + settings.identityUrl() + " issued a token without "
                        + "an X-Subject-Token header"));
        Instant expires = expiry(parse(response.body()).path("token"));
        Instant now = clock.instant();
        Duration lifetime = Duration.between(now, expires);
        Duration early = lifetime.dividedBy(2).compareTo(RENEW_BEFORE) < 0 ? lifetime.dividedBy(2) : RENEW_BEFORE;
        serviceToken = new ServiceToken(value, expires.minus(early));
        LOG.info("Keystone service token for {} obtained from {}, valid until {}", settings.user(),
                settings.identityUrl(), expires);
        return value;
    }

    private HttpResponse<String> send(HttpRequest request, String what) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            counter("unavailable").increment();
            throw new KeystoneUnavailableException("Keystone at " + settings.identityUrl() + " could not be reached to "
                    + what + " (" + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": "
                    + e.getMessage()) + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KeystoneUnavailableException("interrupted while asking Keystone to " + what, e);
        }
    }

    private String passwordAuth() {
        ObjectNode root = Json.object();
        ObjectNode auth = root.putObject("auth");
        ObjectNode identity = auth.putObject("identity");
        identity.putArray("methods").add("password");
        ObjectNode user = identity.putObject("password").putObject("user");
        user.put("name", settings.user());
        user.putObject("domain").put("name", settings.userDomain());
        user.put("password", settings.password());
        ObjectNode project = auth.putObject("scope").putObject("project");
        project.put("name", settings.project());
        project.putObject("domain").put("name", settings.projectDomain());
        return root.toString();
    }

    /** The identity in a {@code GET /auth/tokens} body. */
    static KeystoneIdentity identity(JsonNode body) {
        JsonNode token = body.path("token");
        JsonNode project = token.path("project");
        List<String> roles = new ArrayList<>();
        token.path("roles").forEach(role -> roles.add(role.path("name").asText()));
        return new KeystoneIdentity(text(token.path("user"), "id"), text(token.path("user"), "name"),
                text(project, "id"), text(project, "name"), roles, expiry(token));
    }

    private static Instant expiry(JsonNode token) {
        String text = token.path("expires_at").asText("");
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new KeystoneUnavailableException("Keystone sent a token with expires_at '" + text
                    + "', which is not an ISO 8601 instant", e);
        }
    }

    private JsonNode parse(String body) {
        try {
            return Json.parse(body);
        } catch (IOException e) {
            throw new KeystoneUnavailableException("Keystone at " + settings.identityUrl() + " answered with a body "
                    + "that is not JSON", e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private Counter counter(String outcome) {
        return Counter.builder("ferry.keystone.requests")
                .description("Requests Ferry sent to Keystone (service tokens and token validations), by outcome")
                .tag("outcome", outcome).register(registry);
    }

    URI identityUrl() {
        return settings.identityUrl();
    }
}
