package dev.ferry.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** A JSON value as text in a table cell or a {@code -f value} line, the way the OpenStack client shows it. */
final class Cells {
    private Cells() {
    }

    static String text(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return "None";
        }
        if (value.isBoolean()) {
            return value.asBoolean() ? "True" : "False";
        }
        if (value.isValueNode()) {
            return value.asText();
        }
        List<String> parts = new ArrayList<>();
        if (value.isArray()) {
            value.forEach(item -> parts.add(text(item)));
            return String.join(", ", parts);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            parts.add(field.getKey() + "='" + text(field.getValue()) + "'");
        }
        return String.join(", ", parts);
    }
}
