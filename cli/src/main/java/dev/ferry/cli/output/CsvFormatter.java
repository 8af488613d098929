package dev.ferry.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.List;

/**
 * {@code -f csv}: a quoted header row, then one row per item (a record: one row), as Python's csv writer with
 * {@code QUOTE_NONNUMERIC} writes them: text quoted (quotes doubled), numbers and booleans bare, null as "".
 */
final class CsvFormatter implements Formatter {
    @Override
    public void print(Listing listing, PrintWriter out) {
        out.println(String.join(",", listing.columns().stream().map(CsvFormatter::quoted).toList()));
        for (List<JsonNode> row : listing.rows()) {
            out.println(String.join(",", row.stream().map(CsvFormatter::cell).toList()));
        }
    }

    private static String cell(JsonNode value) {
        if (value.isNumber() || value.isBoolean()) {
            return Cells.text(value);
        }
        return quoted(value.isNull() ? "" : Cells.text(value));
    }

    private static String quoted(String text) {
        return '"' + text.replace("\"", "\"\"") + '"';
    }
}
