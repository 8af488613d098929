package dev.ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.ferry.messages.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Calls the api-gateway at {@code FERRY_API_URL} (default {@value #DEFAULT_URL}) with the token
 * {@code FERRY_API_TOKEN} (default {@value #DEFAULT_TOKEN}): its admin API, and Manila's {@code /v2} API with
 * microversion {@value #MICROVERSION} and the experimental header the backup routes need. A fault answer becomes
 * an {@link ApiFailure} carrying the API's own message.
 */
final class ApiClient {
    static final String DEFAULT_URL = "http://127.0.0.1:8786";
    static final String DEFAULT_TOKEN = "admin:admin";
    static final String MICROVERSION = "2.91";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(5);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT).build();
    private final String base;
    private final String token;

    ApiClient(String base, String token) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.token = token;
    }

    static ApiClient fromSettings(Map<String, String> settings) {
        return new ApiClient(value(settings, "FERRY_API_URL", DEFAULT_URL),
                value(settings, "FERRY_API_TOKEN", DEFAULT_TOKEN));
    }

    /** What went wrong, in words to print; {@code status} is the HTTP status, 0 when there was no answer. */
    static final class ApiFailure extends Exception {
        private static final long serialVersionUID = 1L;
        private final int status;

        ApiFailure(String message) {
            this(message, 0);
        }

        ApiFailure(String message, int status) {
            super(message);
            this.status = status;
        }

        int status() {
            return status;
        }
    }

    String base() {
        return base;
    }

    /** The answer to a GET, or empty when the API answers 404 (nothing there). */
    Optional<JsonNode> find(String path) throws ApiFailure {
        try {
            return Optional.of(get(path));
        } catch (ApiFailure e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    JsonNode put(String path, JsonNode body) throws ApiFailure {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(Json.pythonStyle(body))), path);
    }

    JsonNode delete(String path) throws ApiFailure {
        return send(HttpRequest.newBuilder(uri(path)).DELETE(), path);
    }

    JsonNode get(String path) throws ApiFailure {
        return send(HttpRequest.newBuilder(uri(path)).GET(), path);
    }

    JsonNode post(String path, JsonNode body) throws ApiFailure {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.pythonStyle(body))), path);
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private URI uri(String path) throws ApiFailure {
        try {
            return URI.create(base + path);
        } catch (IllegalArgumentException e) {
            throw new ApiFailure("FERRY_API_URL '" + base + "' is not a valid URL (" + e.getMessage()
                    + "); set it to the api-gateway's address, e.g. " + DEFAULT_URL);
        }
    }

    private JsonNode send(HttpRequest.Builder request, String path) throws ApiFailure {
        HttpResponse<String> response;
        if (path.startsWith("/v2/")) {
            request.header("X-OpenStack-Manila-API-Version", MICROVERSION)
                    .header("X-OpenStack-Manila-API-Experimental", "True");
        }
        try {
            response = http.send(request.timeout(REQUEST_TIMEOUT).header("X-Auth-Token", token)
                    .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new ApiFailure("the Ferry API at " + base + " did not answer " + path + " in time ("
                    + e.getMessage() + "); try again");
        } catch (ConnectException e) {
            throw new ApiFailure("cannot reach the Ferry API at " + base + " (" + describe(e)
                    + "); is the api-gateway running? Set FERRY_API_URL to its address");
        } catch (IOException e) {
            throw new ApiFailure("the request to " + base + path + " failed (" + describe(e)
                    + "); check FERRY_API_URL");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiFailure("interrupted");
        }
        JsonNode body = parse(response.body());
        if (response.statusCode() / 100 == 2) {
            if (response.body() == null || response.body().isBlank()) {
                return MissingNode.getInstance(); // 202 or 204 without a body: an action, a delete
            }
            if (body == null) {
                throw new ApiFailure("the Ferry API answered " + path + " with something that is not JSON: "
                        + abbreviate(response.body()));
            }
            return body;
        }
        throw new ApiFailure(faultMessage(body, response) + " (HTTP " + response.statusCode() + ")",
                response.statusCode());
    }

    /** The message of a Manila fault body {@code {"<name>": {"code", "message"}}}, else the raw text. */
    private static String faultMessage(JsonNode body, HttpResponse<String> response) {
        if (body != null && body.isObject() && body.size() == 1) {
            JsonNode message = body.elements().next().get("message");
            if (message != null && message.isTextual()) {
                return message.asText();
            }
        }
        String text = response.body() == null || response.body().isBlank() ? "no body" : abbreviate(response.body());
        return "the Ferry API answered " + response.statusCode() + ": " + text;
    }

    private static JsonNode parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Json.parse(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            return null;
        }
    }

    private static String describe(IOException e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static String abbreviate(String text) {
        String flat = text.strip().replaceAll("\\s+", " ");
        return flat.length() <= 200 ? flat : flat.substring(0, 200) + "...";
    }

    private static String value(Map<String, String> settings, String name, String fallback) {
        String value = settings.get(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }
}
