package dev.ferry.cli.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.messages.Json;
import java.io.PrintWriter;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * {@code -f json}: a record as one flat object, a list as an array of row objects keyed by the column names,
 * indented by two as Python's {@code json.dumps(..., indent=2)} writes them.
 */
final class JsonFormatter implements Formatter {
    @Override
    public void print(Listing listing, PrintWriter out) {
        StringBuilder text = new StringBuilder();
        List<Map<String, JsonNode>> objects = listing.objects();
        if (listing.record()) {
            object(objects.get(0), 0, text);
        } else if (objects.isEmpty()) {
            text.append("[]");
        } else {
            text.append("[\n");
            for (int i = 0; i < objects.size(); i++) {
                text.append("  ");
                object(objects.get(i), 1, text);
                text.append(i < objects.size() - 1 ? ",\n" : "\n");
            }
            text.append(']');
        }
        out.println(text);
    }

    private static void object(Map<String, JsonNode> fields, int depth, StringBuilder text) {
        if (fields.isEmpty()) {
            text.append("{}");
            return;
        }
        text.append("{\n");
        int i = 0;
        for (Map.Entry<String, JsonNode> field : fields.entrySet()) {
            text.append("  ".repeat(depth + 1)).append(scalar(Json.mapper().getNodeFactory().textNode(field.getKey())))
                    .append(": ");
            value(field.getValue(), depth + 1, text);
            text.append(++i < fields.size() ? ",\n" : "\n");
        }
        text.append("  ".repeat(depth)).append('}');
    }

    private static void value(JsonNode value, int depth, StringBuilder text) {
        if (value.isObject()) {
            Map<String, JsonNode> fields = new java.util.LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                fields.put(field.getKey(), field.getValue());
            }
            object(fields, depth, text);
        } else if (value.isArray()) {
            if (value.isEmpty()) {
                text.append("[]");
                return;
            }
            text.append("[\n");
            for (int i = 0; i < value.size(); i++) {
                text.append("  ".repeat(depth + 1));
                value(value.get(i), depth + 1, text);
                text.append(i < value.size() - 1 ? ",\n" : "\n");
            }
            text.append("  ".repeat(depth)).append(']');
        } else {
            text.append(scalar(value));
        }
    }

    private static String scalar(JsonNode value) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON value always serializes", e);
        }
    }
}
