package dev.ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A kind of thing Manila's API serves (a share, a share backup): where it lives, and how to find one by name or
 * id as the OpenStack client's {@code find_resource} does (the id first, then an exact name among those the
 * caller sees).
 */
enum Resource {
    SHARE("share", "/v2/shares", "share", "shares"),
    BACKUP("share backup", "/v2/share-backups", "share_backup", "share_backups");

    private final String noun;
    private final String path;
    private final String key;
    private final String listKey;

    Resource(String noun, String path, String key, String listKey) {
        this.noun = noun;
        this.path = path;
        this.key = key;
        this.listKey = listKey;
    }

    String noun() {
        return noun;
    }

    String path(String id) {
        return path + "/" + ApiClient.encode(id);
    }

    /** The path of the collection, for creating one. */
    String collection() {
        return path;
    }

    /** The object inside an answer about one of these ({@code {"share": {...}}}). */
    JsonNode unwrap(JsonNode answer) {
        return answer.path(key);
    }

    String key() {
        return key;
    }

    /** The one that {@code nameOrId} names; an ApiFailure that says so when none or several do. */
    JsonNode find(ApiClient api, String nameOrId) throws ApiClient.ApiFailure {
        Optional<JsonNode> byId = byId(api, nameOrId);
        if (byId.isPresent()) {
            return byId.get();
        }
        List<JsonNode> named = list(api, "name=" + ApiClient.encode(nameOrId)).stream()
                .filter(item -> nameOrId.equals(item.path("name").asText(null))).toList();
        if (named.isEmpty()) {
            throw new ApiClient.ApiFailure("No " + noun + " with a name or ID of '" + nameOrId + "' exists.");
        }
        if (named.size() > 1) {
            List<String> ids = named.stream().map(item -> item.path("id").asText()).toList();
            throw new ApiClient.ApiFailure("More than one " + noun + " exists with the name '" + nameOrId
                    + "'; use one's ID: " + String.join(", ", ids));
        }
        return named.get(0);
    }

    /** The current state of the one with id {@code id}, or empty once it is gone. */
    Optional<JsonNode> byId(ApiClient api, String id) throws ApiClient.ApiFailure {
        try {
            return api.find(path(id)).map(this::unwrap);
        } catch (ApiClient.ApiFailure e) {
            if (e.status() == 400) { // not the shape of an id, say: then it is no id
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Every one the caller sees that the query ({@code a=b&c=d}, or empty) selects, following the pages. */
    List<JsonNode> list(ApiClient api, String query) throws ApiClient.ApiFailure {
        List<JsonNode> all = new ArrayList<>();
        String marker = null;
        while (true) {
            StringBuilder request = new StringBuilder(path).append("/detail");
            List<String> params = new ArrayList<>();
            if (!query.isEmpty()) {
                params.add(query);
            }
            if (marker != null) {
                params.add("marker=" + ApiClient.encode(marker));
            }
            if (!params.isEmpty()) {
                request.append('?').append(String.join("&", params));
            }
            JsonNode answer = api.get(request.toString());
            JsonNode page = answer.path(listKey);
            page.forEach(all::add);
            boolean more = false;
            for (JsonNode link : answer.path(listKey + "_links")) {
                more |= "next".equals(link.path("rel").asText());
            }
            if (!more || page.isEmpty()) {
                return all;
            }
            marker = page.get(page.size() - 1).path("id").asText();
        }
    }
}
