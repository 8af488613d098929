package dev.ferry.api.http;

import dev.ferry.api.service.ApiError;
import io.javalin.http.Context;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A list request's query string as Manila reads it: filters (first value of each key), {@code sort_key}
 * (one of the allowed keys), {@code sort_dir} (asc or desc, default desc), {@code limit} and
 * {@code offset} (non-negative integers) and {@code marker}. Anything else is for the caller to ignore.
 */
public record ListParams(Map<String, String> values, String sortKey, boolean ascending, Integer limit,
                         Integer offset, String marker) {

    public static ListParams read(Context ctx, String defaultSortKey, Collection<String> allowedSortKeys) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : ctx.queryParamMap().entrySet()) {
            if (!e.getValue().isEmpty()) {
                String value = e.getValue().get(0);
                if (value.indexOf('\0') >= 0 || e.getKey().indexOf('\0') >= 0) {
                    throw ApiError.badRequest("Query parameter '" + e.getKey().replace('\0', ' ')
                            + "' contains a NUL character; remove it and retry.");
                }
                values.put(e.getKey(), value);
            }
        }
        String sortKey = values.getOrDefault("sort_key", defaultSortKey);
        if (!allowedSortKeys.contains(sortKey)) {
            throw ApiError.badRequest("Invalid sort_key '" + sortKey + "': use one of "
                    + String.join(", ", allowedSortKeys) + ".");
        }
        String sortDir = values.getOrDefault("sort_dir", "desc");
        if (!sortDir.equals("asc") && !sortDir.equals("desc")) {
            throw ApiError.badRequest("Unknown sort direction, must be 'desc' or 'asc'");
        }
        String marker = values.get("marker");
        return new ListParams(Map.copyOf(values), sortKey, sortDir.equals("asc"), count(values, "limit"),
                count(values, "offset"), marker == null || marker.isEmpty() ? null : marker);
    }

    public String get(String key) {
        return values.get(key);
    }

    private static Integer count(Map<String, String> values, String param) {
        String value = values.get(param);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw ApiError.badRequest("Invalid '" + param + "' value '" + value + "': use a non-negative integer.");
    }
}
