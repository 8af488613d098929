package dev.ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The user messages (GET /v2/messages, Manila's 2.37+) about one resource: what a failed piece of asynchronous
 * work tells its user. Taken before the work starts, so that afterwards the new one is told apart.
 */
final class UserMessages {
    private static final int ATTEMPTS = 10;
    private final ApiClient api;
    private final String resourceId;
    private final Set<String> before;

    private UserMessages(ApiClient api, String resourceId, Set<String> before) {
        this.api = api;
        this.resourceId = resourceId;
        this.before = before;
    }

    /** The messages about {@code resourceId} there are now. */
    static UserMessages before(ApiClient api, String resourceId) throws ApiClient.ApiFailure {
        Set<String> ids = new HashSet<>();
        for (JsonNode message : messages(api, resourceId)) {
            ids.add(message.path("id").asText());
        }
        return new UserMessages(api, resourceId, ids);
    }

    /** For a resource just made: every message about it is new. */
    static UserMessages none(ApiClient api, String resourceId) {
        return new UserMessages(api, resourceId, Set.of());
    }

    /** The newest message that came since, waiting a little for it; empty when none comes. */
    Optional<String> newest() throws ApiClient.ApiFailure {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Optional<JsonNode> found = messages(api, resourceId).stream()
                    .filter(m -> !before.contains(m.path("id").asText()))
                    .max((a, b) -> a.path("created_at").asText().compareTo(b.path("created_at").asText()));
            if (found.isPresent()) {
                return Optional.of(found.get().path("user_message").asText());
            }
            try {
                Thread.sleep(Waiter.INTERVAL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static List<JsonNode> messages(ApiClient api, String resourceId) throws ApiClient.ApiFailure {
        List<JsonNode> messages = new ArrayList<>();
        api.get("/v2/messages?resource_id=" + ApiClient.encode(resourceId)).path("messages").forEach(messages::add);
        return messages;
    }
}
