package dev.ferry.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.messages.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/** A small HTTP client for the in-process API, speaking as python-manilaclient does. */
final class ApiClient {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String base;

    ApiClient(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    /** What came back. */
    record Response(int status, HttpHeaders headers, String text) {
        JsonNode json() {
            try {
                return Json.parse(text);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + text, e);
            }
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        /** The fault name of a Manila fault body. */
        String fault() {
            return json().fieldNames().next();
        }

        String message() {
            return json().path(fault()).path("message").asText();
        }

        @Override
        public String toString() {
            return status + " " + text;
        }
    }

    Call call(String method, String path) {
        return new Call(method, path);
    }

    /** A share-backup call at 2.91 with the experimental header, as alice of p1. */
    Call backups(String method, String path) {
        return call(method, path).version("2.91").experimental();
    }

    final class Call {
        private final String method;
        private final String path;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private String body;

        Call(String method, String path) {
            this.method = method;
            this.path = path;
            headers.put("X-Auth-Token", "alice:p1");
            headers.put("Accept", "application/json");
        }

        Call token(String token) {
            if (token == null) {
                headers.remove("X-Auth-Token");
            } else {
                headers.put("X-Auth-Token", token);
            }
            return this;
        }

        Call version(String version) {
            headers.put("X-Openstack-Manila-Api-Version", version);
            return this;
        }

        Call experimental() {
            headers.put("X-OpenStack-Manila-API-Experimental", "true");
            return this;
        }

        Call header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        Call body(String json) {
            this.body = json;
            headers.put("Content-Type", "application/json");
            return this;
        }

        Response send() {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body));
            headers.forEach(request::header);
            try {
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                return new Response(response.statusCode(), response.headers(), response.body());
            } catch (IOException e) {
                throw new AssertionError(method + " " + path + " failed: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }
}
