package dev.ferry.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code -f table}: a boxed table as cliff draws it; a record as Field/Value rows, a list with one column per
 * field (numbers right-aligned) and nothing at all when empty. A value with line breaks takes several lines.
 */
final class TableFormatter implements Formatter {
    @Override
    public void print(Listing listing, PrintWriter out) {
        if (listing.record()) {
            List<List<String>> rows = new ArrayList<>();
            List<Boolean> right = List.of(false, false);
            for (int i = 0; i < listing.columns().size(); i++) {
                rows.add(List.of(listing.columns().get(i), Cells.text(listing.rows().get(0).get(i))));
            }
            draw(List.of("Field", "Value"), rows, right, out);
            return;
        }
        if (listing.rows().isEmpty()) {
            return;
        }
        List<Boolean> right = new ArrayList<>();
        for (int i = 0; i < listing.columns().size(); i++) {
            int column = i;
            right.add(listing.rows().stream().allMatch(row -> row.get(column).isNumber()));
        }
        List<List<String>> rows = listing.rows().stream().map(row -> row.stream().map(Cells::text).toList()).toList();
        draw(listing.columns(), rows, right, out);
    }

    private static void draw(List<String> headers, List<List<String>> rows, List<Boolean> right, PrintWriter out) {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < headers.size(); i++) {
            widths[i] = headers.get(i).length();
            for (List<String> row : rows) {
                for (String line : row.get(i).split("\n", -1)) {
                    widths[i] = Math.max(widths[i], line.length());
                }
            }
        }
        String rule = rule(widths);
        out.println(rule);
        line(headers, widths, headers.stream().map(h -> false).toList(), out);
        out.println(rule);
        for (List<String> row : rows) {
            line(row, widths, right, out);
        }
        out.println(rule);
    }

    private static String rule(int[] widths) {
        StringBuilder rule = new StringBuilder("+");
        for (int width : widths) {
            rule.append("-".repeat(width + 2)).append('+');
        }
        return rule.toString();
    }

    private static void line(List<String> cells, int[] widths, List<Boolean> right, PrintWriter out) {
        List<String[]> split = cells.stream().map(c -> c.split("\n", -1)).toList();
        int height = split.stream().mapToInt(lines -> lines.length).max().orElse(1);
        for (int l = 0; l < height; l++) {
            StringBuilder line = new StringBuilder("|");
            for (int i = 0; i < widths.length; i++) {
                String text = l < split.get(i).length ? split.get(i)[l] : "";
                String pad = " ".repeat(widths[i] - text.length());
                line.append(' ').append(right.get(i) ? pad + text : text + pad).append(" |");
            }
            out.println(line);
        }
    }
}
