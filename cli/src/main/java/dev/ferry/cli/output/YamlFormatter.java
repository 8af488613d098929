package dev.ferry.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * {@code -f yaml}: as PyYAML's {@code safe_dump(..., default_flow_style=False)} writes the same data (keys sorted;
 * a list as a sequence of mappings; text that YAML would read as something else single-quoted).
 */
final class YamlFormatter implements Formatter {
    private static final Pattern PLAIN = Pattern.compile("[-A-Za-z0-9_/.][A-Za-z0-9 _./@+=,()~%-]*");
    private static final Pattern SPECIAL = Pattern.compile(
            "(?i)y|n|yes|no|true|false|on|off|null|~|-|[-+]?(0|[1-9][0-9_]*)|0[0-7_]+|0x[0-9a-f_]+"
                    + "|[-+]?([0-9][0-9_]*)?\\.[0-9_]*(e[-+][0-9]+)?|[-+]?\\.(inf|nan)|\\d{4}-\\d\\d?-\\d\\d?([t ].*)?|.*[ ]");

    @Override
    public void print(Listing listing, PrintWriter out) {
        if (listing.record()) {
            mapping(listing.objects().get(0), "", out);
            return;
        }
        if (listing.rows().isEmpty()) {
            out.println("[]");
            return;
        }
        for (Map<String, JsonNode> row : listing.objects()) {
            StringBuilder item = new StringBuilder();
            java.io.StringWriter text = new java.io.StringWriter();
            mapping(row, "", new PrintWriter(text));
            String[] lines = text.toString().split("\n");
            for (int i = 0; i < lines.length; i++) {
                item.append(i == 0 ? "- " : "  ").append(lines[i]).append('\n');
            }
            out.print(item);
        }
    }

    private static void mapping(Map<String, JsonNode> fields, String indent, PrintWriter out) {
        for (Map.Entry<String, JsonNode> field : new TreeMap<>(fields).entrySet()) {
            out.println(indent + scalar(field.getKey()) + ": " + value(field.getValue()));
        }
    }

    /** A value on its key's line: scalars, and (flat values being what commands print) objects in flow style. */
    private static String value(JsonNode value) {
        if (value == null || value.isNull()) {
            return "null";
        }
        if (value.isBoolean() || value.isNumber()) {
            return value.asText();
        }
        if (value.isArray()) {
            StringBuilder flow = new StringBuilder("[");
            for (int i = 0; i < value.size(); i++) {
                flow.append(i > 0 ? ", " : "").append(value(value.get(i)));
            }
            return flow.append(']').toString();
        }
        if (value.isObject()) {
            StringBuilder flow = new StringBuilder("{");
            Iterator<Map.Entry<String, JsonNode>> it = value.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> field = it.next();
                flow.append(scalar(field.getKey())).append(": ").append(value(field.getValue()))
                        .append(it.hasNext() ? ", " : "");
            }
            return flow.append('}').toString();
        }
        return scalar(value.asText());
    }

    private static String scalar(String text) {
        if (PLAIN.matcher(text).matches() && !SPECIAL.matcher(text).matches()) {
            return text;
        }
        if (text.contains("\n")) {
            return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
        }
        return "'" + text.replace("'", "''") + "'";
    }
}
