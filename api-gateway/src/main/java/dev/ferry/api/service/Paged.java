package dev.ferry.api.service;

import java.util.List;

/** One page of a list: its {@code items}, and whether rows remain after it ({@code more}). */
public record Paged<T>(List<T> items, boolean more) {
    public Paged {
        items = List.copyOf(items);
    }

    /** How many rows to fetch for a page of {@code limit}: one more, to learn whether more remain. */
    public static Integer fetchSize(Integer limit) {
        if (limit == null || limit == Integer.MAX_VALUE) {
            return limit;
        }
        return limit + 1;
    }

    /** The first {@code limit} of {@code fetched} (fetched with {@link #fetchSize}); null limit: all, none more. */
    public static <T> Paged<T> cut(List<T> fetched, Integer limit) {
        if (limit != null && fetched.size() > limit) {
            return new Paged<>(fetched.subList(0, limit), true);
        }
        return new Paged<>(fetched, false);
    }
}
