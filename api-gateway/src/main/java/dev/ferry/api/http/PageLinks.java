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
 * Manila's collection links: when a page is full and more rows remain, {@code <name>_links} holds
 * {@code {"rel": "next", "href": <this URL with marker=<last id>>}}. The query keeps every parameter
 * (limit included) except {@code marker} and {@code offset}, which the marker replaces.
 */
public final class PageLinks {
    private PageLinks() {
    }

    public static void addNext(Context ctx, ObjectNode out, String linksKey, String lastId) {
        StringJoiner query = new StringJoiner("&");
        for (Map.Entry<String, List<String>> e : ctx.queryParamMap().entrySet()) {
            if (e.getKey().equals("marker") || e.getKey().equals("offset")) {
                continue;
            }
            for (String value : e.getValue()) {
                query.add(encode(e.getKey()) + "=" + encode(value));
            }
        }
        query.add("marker=" + encode(lastId));
        ArrayNode links = out.putArray(linksKey);
        links.addObject().put("rel", "next").put("href", Requests.baseUrl(ctx) + ctx.path() + "?" + query);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
