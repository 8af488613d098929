package dev.ferry.cli.output;

import java.io.PrintWriter;
import java.util.List;

/** {@code -f value}: a record's values one per line; a list's rows one per line, values space-separated. */
final class ValueFormatter implements Formatter {
    @Override
    public void print(Listing listing, PrintWriter out) {
        if (listing.record()) {
            listing.rows().get(0).forEach(value -> out.println(Cells.text(value)));
            return;
        }
        for (List<com.fasterxml.jackson.databind.JsonNode> row : listing.rows()) {
            out.println(String.join(" ", row.stream().map(Cells::text).toList()));
        }
    }
}
