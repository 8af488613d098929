package dev.ferry.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** Speaks Manila's v2 API to a Ferry api-gateway, as python-manilaclient would. */
final class ApiClient {
    static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String token;
    private final String version;
    private final boolean experimental;
    private final Map<String, String> headers;

    ApiClient(String base, String token, String version, boolean experimental) {
        this(base, token, version, experimental, Map.of());
    }

    private ApiClient(String base, String token, String version, boolean experimental, Map<String, String> headers) {
        this.base = base;
        this.token = token;
        this.version = version;
        this.experimental = experimental;
        this.headers = headers;
    }

    /** The same client sending one more header with every request. */
    ApiClient withHeader(String name, String value) {
        Map<String, String> more = new java.util.HashMap<>(headers);
        more.put(name, value);
        return new ApiClient(base, token, version, experimental, Map.copyOf(more));
    }

    ApiClient as(String user, String project) {
        return new ApiClient(base, user + ":" + project, version, experimental, headers);
    }

    ApiClient atVersion(String microversion) {
        return new ApiClient(base, token, microversion, experimental, headers);
    }

    ApiClient withoutExperimental() {
        return new ApiClient(base, token, version, false, headers);
    }

    record Response(int status, JsonNode body, HttpResponse<String> raw) {
        @Override
        public String toString() {
            return status + " " + raw.body();
        }
    }

    Response get(String path) throws IOException, InterruptedException {
        return send("GET", path, null);
    }

    Response post(String path, Object body) throws IOException, InterruptedException {
        return send("POST", path, body);
    }

    Response send(String method, String path, Object body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json");
        if (token != null) {
            request.header("X-Auth-Token", token);
        }
        if (version != null) {
            request.header("X-OpenStack-Manila-API-Version", version);
        }
        if (experimental) {
            request.header("X-OpenStack-Manila-API-Experimental", "True");
        }
        headers.forEach(request::header);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(
                            body instanceof String s ? s : JSON.writeValueAsString(body)));
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = response.body().isBlank() ? MissingNode.getInstance() : JSON.readTree(response.body());
        return new Response(response.statusCode(), json, response);
    }
}
