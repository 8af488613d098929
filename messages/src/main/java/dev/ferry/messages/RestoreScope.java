package dev.ferry.messages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a restore asked for beyond Manila's whole restore (the object form of the {@code restore} action, from 2.91),
 * as the job row keeps it ({@code jobs.restore_selection}) and the claim's grant carries it to the data node
 * ({@code restore_selection}): {@code {"paths": [...], "overwrite": "always" | "if-changed" | "never",
 * "delete_extra": false}}. Empty {@code paths} means the whole backup. The data node turns it into the driver's
 * {@code RestoreSelection}; {@link #OVERWRITE_POLICIES} are the driver's policy names.
 */
public record RestoreScope(List<String> paths, String overwrite, boolean deleteExtra) {
    /** The overwrite policies, by their wire names; the first is Manila's behaviour and the default. */
    public static final List<String> OVERWRITE_POLICIES = List.of("always", "if-changed", "never");
    public static final String DEFAULT_OVERWRITE = OVERWRITE_POLICIES.get(0);

    public RestoreScope {
        paths = List.copyOf(Objects.requireNonNull(paths, "paths"));
        if (!OVERWRITE_POLICIES.contains(overwrite)) {
            throw new IllegalArgumentException("unknown overwrite policy '" + overwrite + "': use one of "
                    + OVERWRITE_POLICIES);
        }
    }

    public ObjectNode toJson() {
        ObjectNode node = Json.object();
        ArrayNode list = node.putArray("paths");
        paths.forEach(list::add);
        node.put("overwrite", overwrite);
        node.put("delete_extra", deleteExtra);
        return node;
    }

    /** The compact JSON text the job row keeps. */
    public String toJsonText() {
        return toJson().toString();
    }

    /** The scope of a {@code restore_selection} value; null when there is none (Manila's whole restore). */
    public static RestoreScope fromJson(JsonNode node) throws UndecodableMessageException {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (!node.isObject() || !node.path("paths").isArray()) {
            throw new UndecodableMessageException("'restore_selection' must be an object with a 'paths' list, not "
                    + node);
        }
        List<String> paths = new ArrayList<>();
        for (JsonNode path : node.get("paths")) {
            if (!path.isTextual()) {
                throw new UndecodableMessageException("'restore_selection' paths must be strings, not " + path);
            }
            paths.add(path.asText());
        }
        JsonNode overwrite = node.get("overwrite");
        try {
            return new RestoreScope(paths, overwrite == null || overwrite.isNull() ? DEFAULT_OVERWRITE
                    : overwrite.asText(), node.path("delete_extra").asBoolean(false));
        } catch (IllegalArgumentException e) {
            throw new UndecodableMessageException("'restore_selection': " + e.getMessage());
        }
    }

    /** The scope kept as {@code text} in the job row; null for null. */
    public static RestoreScope fromJsonText(String text) throws UndecodableMessageException {
        if (text == null) {
            return null;
        }
        try {
            return fromJson(Json.parse(text));
        } catch (IOException e) {
            throw new UndecodableMessageException("'restore_selection' is not JSON: " + e.getMessage());
        }
    }
}
