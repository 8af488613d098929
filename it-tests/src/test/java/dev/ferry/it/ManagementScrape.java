package dev.ferry.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a Ferry process's management listener as Prometheus and a probe would. */
final class ManagementScrape {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;

    ManagementScrape(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(10)).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    int status(String path) {
        try {
            return get(path).statusCode();
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("GET " + baseUrl + path + " failed: " + e, e);
        }
    }

    String metrics() throws IOException, InterruptedException {
        HttpResponse<String> response = get("/metrics");
        if (response.statusCode() != 200) {
            throw new AssertionError("GET /metrics answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /**
     * The value of the sample {@code name} whose labels contain every one of {@code labels} (such as
     * {@code kind="restore_backup"}); 0 when there is none.
     */
    static double value(String metrics, String name, String... labels) {
        double sum = 0;
        boolean found = false;
        Pattern line = Pattern.compile("^" + Pattern.quote(name) + "(\\{.*\\})? (\\S+)$", Pattern.MULTILINE);
        Matcher matcher = line.matcher(metrics);
        while (matcher.find()) {
            String labelText = matcher.group(1) == null ? "" : matcher.group(1);
            boolean all = true;
            for (String label : labels) {
                all &= labelText.contains(label);
            }
            if (all) {
                sum += Double.parseDouble(matcher.group(2));
                found = true;
            }
        }
        return found ? sum : 0;
    }
}
