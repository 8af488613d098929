package dev.ferry.cli;

import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine;

/** {@code --url} and {@code --token} of the commands that call the API; they win over FERRY_API_URL/TOKEN. */
final class ApiOptions {
    @CommandLine.Option(names = "--url", paramLabel = "URL",
            description = "The api-gateway's address (default: FERRY_API_URL, else " + ApiClient.DEFAULT_URL + ").")
    private String url;

    @CommandLine.Option(names = "--token", paramLabel = "TOKEN",
            description = "The token to send (default: FERRY_API_TOKEN, else " + ApiClient.DEFAULT_TOKEN + ").")
    private String token;

    /** {@code settings} with these options over them. */
    Map<String, String> over(Map<String, String> settings) {
        Map<String, String> merged = new HashMap<>(settings);
        if (url != null) {
            merged.put("FERRY_API_URL", url);
        }
        if (token != null) {
            merged.put("FERRY_API_TOKEN", token);
        }
        return merged;
    }
}
