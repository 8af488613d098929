package dev.ferry.api.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Manila's list paging: a page holds at most {@code maxPageSize} items (FERRY_MAX_PAGE_SIZE, Manila's
 * {@code osapi_max_limit}), also when no {@code limit} is asked; when rows remain after a page, {@code <name>_links}
 * holds {@code {"rel": "next", "href": <public URL><this path>?<this query with limit=<page size>&marker=<last id>>}}.
 * The href starts with the {@link PublicUrl}, never with the request's {@code Host}. The query keeps every parameter
 * except {@code limit}, {@code marker} and {@code offset}, which the page's size and the marker replace.
 */
public final class Paging {
    private final PublicUrl publicUrl;
    private final int maxPageSize;

    public Paging(PublicUrl publicUrl, int maxPageSize) {
        if (maxPageSize < 1) {
            throw new IllegalArgumentException("the maximum page size must be at least 1, was " + maxPageSize);
        }
        this.publicUrl = publicUrl;
        this.maxPageSize = maxPageSize;
    }

    public int maxPageSize() {
        return maxPageSize;
    }

    /** The page size for {@code asked} ({@code limit}, null when absent): min(asked, maximum), the maximum when absent. */
    public int limit(Integer asked) {
        return asked == null ? maxPageSize : Math.min(asked, maxPageSize);
    }

    /** Adds the next link under each of {@code linksKeys} (one list may answer under Manila's key and an alias). */
    public void addNext(Context ctx, ObjectNode out, int limit, String lastId, String... linksKeys) {
        StringJoiner query = new StringJoiner("&");
        for (Map.Entry<String, List<String>> e : ctx.queryParamMap().entrySet()) {
            String key = e.getKey();
            if (key.equals("marker") || key.equals("offset") || key.equals("limit")) {
                continue;
            }
            for (String value : e.getValue()) {
                query.add(encode(key) + "=" + encode(value));
            }
        }
        query.add("limit=" + limit);
        query.add("marker=" + encode(lastId));
        String href = publicUrl.base() + ctx.path() + "?" + query;
        for (String key : linksKeys) {
            ArrayNode links = out.putArray(key);
            links.addObject().put("rel", "next").put("href", href);
        }
    }

    /**
     * Adds {@code {"rel": "next", "href": ...}} under {@code linksKey} for a list paged by offset: this path and query
     * with {@code limit=<page size>&offset=<nextOffset>}.
     */
    public void addNextOffset(Context ctx, ObjectNode out, int limit, long nextOffset, String linksKey) {
        StringJoiner query = new StringJoiner("&");
        for (Map.Entry<String, List<String>> e : ctx.queryParamMap().entrySet()) {
            String key = e.getKey();
            if (key.equals("marker") || key.equals("offset") || key.equals("limit")) {
                continue;
            }
            for (String value : e.getValue()) {
                query.add(encode(key) + "=" + encode(value));
            }
        }
        query.add("limit=" + limit);
        query.add("offset=" + nextOffset);
        out.putArray(linksKey).addObject().put("rel", "next").put("href", publicUrl.base() + ctx.path() + "?" + query);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
