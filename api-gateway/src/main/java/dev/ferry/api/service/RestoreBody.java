package dev.ferry.api.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.ferry.messages.RestoreScope;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the value of a {@code restore} action asks for: the target share ({@code targetShareId}, null for the backup's
 * own share) and, for the object form, what to write ({@code selection}, null for Manila's whole restore).
 *
 * <p>Manila's forms: {@code {"restore": null}} and, from 2.91, {@code {"restore": "<share id>"}}; any falsy value
 * (null, false, 0, "", {}, []) restores in place, and below 2.91 the value is ignored, as in Manila. Ferry's object
 * form, from 2.91: {@code {"restore": {"share_id": "<id>" or null, "paths": [...], "overwrite": "always" |
 * "if-changed" | "never", "delete_extra": false}}}; every key is optional ({@code paths} absent: the whole backup;
 * {@code overwrite} absent: {@code always}). Below 2.91 the object form is refused (400), never taken for a whole
 * restore in place. Paths are relative to the backup root and matched literally against its manifest: a leading
 * {@code /}, an empty component, {@code .} or {@code ..} are refused, naming the path.
 */
public record RestoreBody(String targetShareId, RestoreScope selection) {
    /** At most this many paths in one restore. */
    public static final int MOST_PATHS = 1000;
    /** A path may be at most this many characters long (Linux's PATH_MAX). */
    public static final int LONGEST_PATH = 4096;
    private static final Set<String> KEYS = Set.of("share_id", "paths", "overwrite", "delete_extra");

    /** Manila's whole restore into the backup's own share. */
    public static final RestoreBody IN_PLACE = new RestoreBody(null, null);

    /** Whether this restore writes only some paths of the backup. */
    public boolean selective() {
        return selection != null && !selection.paths().isEmpty();
    }

    /**
     * Reads the value of {@code restore}; {@code objectForm} says whether the request's microversion has it (2.91,
     * which also brings the target share). Throws a 400 {@link ApiError} saying what was wrong.
     */
    public static RestoreBody read(JsonNode value, boolean objectForm) {
        if (value != null && value.isObject() && value.size() > 0 && !objectForm) {
            throw ApiError.badRequest("The object form of 'restore' (share_id, paths, overwrite, delete_extra) needs "
                    + "microversion 2.91 or later: send the header 'X-OpenStack-Manila-API-Version: 2.91'. Nothing "
                    + "was restored.");
        }
        if (!objectForm || !truthy(value)) {
            return IN_PLACE;
        }
        if (value.isTextual()) {
            return new RestoreBody(value.asText(), null);
        }
        if (!value.isObject()) {
            throw ApiError.badRequest("Invalid restore target " + value + ": give the target share's ID as a "
                    + "string, e.g. {\"restore\": \"<share id>\"}, null to restore into the backup's own share, or an "
                    + "object {\"share_id\", \"paths\", \"overwrite\", \"delete_extra\"}.");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            String key = it.next().getKey();
            if (!KEYS.contains(key)) {
                throw ApiError.badRequest("Unknown key '" + key + "' in 'restore': use share_id, paths, overwrite "
                        + "and delete_extra.");
            }
        }
        return new RestoreBody(shareId(value.get("share_id")), new RestoreScope(paths(value.get("paths")),
                overwrite(value.get("overwrite")), deleteExtra(value.get("delete_extra"))));
    }

    private static String shareId(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual() || value.asText().isEmpty()) {
            throw ApiError.badRequest("Invalid 'share_id' " + value + ": give the target share's ID as a string, or "
                    + "null to restore into the backup's own share.");
        }
        return value.asText();
    }

    private static List<String> paths(JsonNode value) {
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw ApiError.badRequest("Invalid 'paths' " + value + ": give a list of files and folders relative to "
                    + "the backup root, e.g. [\"docs\", \"src/main.c\"], or leave 'paths' out to restore the whole "
                    + "backup.");
        }
        if (value.isEmpty()) {
            throw ApiError.badRequest("'paths' is empty: name at least one file or folder, or leave 'paths' out to "
                    + "restore the whole backup.");
        }
        if (value.size() > MOST_PATHS) {
            throw ApiError.badRequest("'paths' names " + value.size() + " paths; a restore may name at most "
                    + MOST_PATHS + ". Name their folders instead, or restore in several requests.");
        }
        Set<String> paths = new LinkedHashSet<>();
        for (JsonNode path : value) {
            paths.add(path(path));
        }
        return new ArrayList<>(paths);
    }

    /** One path, as the manifest names it; else 400 naming it and what is wrong. */
    private static String path(JsonNode value) {
        if (!value.isTextual()) {
            throw ApiError.badRequest("Invalid path " + value + " in 'paths': each path must be a string, relative "
                    + "to the backup root, e.g. \"docs/report.txt\".");
        }
        String path = value.asText();
        String named = "Invalid path " + value + " in 'paths': ";
        if (path.length() > LONGEST_PATH) {
            throw ApiError.badRequest("Invalid path in 'paths' starting " + new TextNode(path.substring(0, 40))
                    + ": it is " + path.length() + " characters long; a path may have at most " + LONGEST_PATH + ".");
        }
        if (path.indexOf('\0') >= 0) {
            throw ApiError.badRequest(named + "it contains a NUL character.");
        }
        if (path.startsWith("/")) {
            throw ApiError.badRequest(named + "paths are relative to the backup root; remove the leading '/'.");
        }
        for (String component : path.split("/", -1)) {
            if (component.isEmpty()) {
                throw ApiError.badRequest(named + "it has an empty component (an empty path, '//' or a trailing "
                        + "'/'); name files and folders as the backup holds them, e.g. \"docs/report.txt\".");
            }
            if (component.equals("..") || component.equals(".")) {
                throw ApiError.badRequest(named + "'" + component + "' is not allowed; name files and folders "
                        + "from the backup root down, e.g. \"docs/report.txt\".");
            }
        }
        return path;
    }

    private static String overwrite(JsonNode value) {
        if (value == null || value.isNull()) {
            return RestoreScope.DEFAULT_OVERWRITE;
        }
        if (!value.isTextual() || !RestoreScope.OVERWRITE_POLICIES.contains(value.asText())) {
            throw ApiError.badRequest("Invalid 'overwrite' " + value + ": use \"always\" (replace files the target "
                    + "holds, the default), \"if-changed\" (leave identical files alone) or \"never\" (leave every "
                    + "file the target holds alone).");
        }
        return value.asText();
    }

    private static boolean deleteExtra(JsonNode value) {
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw ApiError.badRequest("Invalid 'delete_extra' " + value + ": use true or false.");
        }
        return value.asBoolean();
    }

    /** Python's truthiness of a JSON value, as Manila reads the value of {@code restore}. */
    private static boolean truthy(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return false;
        }
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        if (value.isNumber()) {
            return value.doubleValue() != 0;
        }
        if (value.isTextual()) {
            return !value.asText().isEmpty();
        }
        return value.size() > 0;
    }
}
