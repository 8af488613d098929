package dev.ferry.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a command prints, before it is formatted: named columns and rows of values (the API's JSON values). A
 * record (what {@code show}, {@code create} and {@code set} print) is one row that formats field by field.
 */
public record Listing(List<String> columns, List<List<JsonNode>> rows, boolean record) {
    public Listing {
        columns = List.copyOf(columns);
        rows = rows.stream().map(row -> List.copyOf(row.stream().map(v -> v == null ? NullNode.instance : v)
                .toList())).toList();
        for (List<JsonNode> row : rows) {
            if (row.size() != columns.size()) {
                throw new IllegalArgumentException("a row has " + row.size() + " values for " + columns.size()
                        + " columns");
            }
        }
    }

    /** One record: its fields in the order given. */
    public static Listing record(Map<String, JsonNode> fields) {
        return new Listing(new ArrayList<>(fields.keySet()), List.of(new ArrayList<>(fields.values())), true);
    }

    /** A list: one row per item, with these columns. */
    public static Listing list(List<String> columns, List<List<JsonNode>> rows) {
        return new Listing(columns, rows, false);
    }

    /**
     * Only the {@code wanted} columns (in this listing's order, as the OpenStack client keeps them), or all when
     * none are wanted; a name that is not a column is an IllegalArgumentException that lists the columns.
     */
    public Listing select(List<String> wanted) {
        if (wanted.isEmpty()) {
            return this;
        }
        List<String> unknown = wanted.stream().filter(c -> !columns.contains(c)).toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("no column " + String.join(", ", unknown.stream()
                    .map(c -> "'" + c + "'").toList()) + "; the columns are " + String.join(", ", columns));
        }
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            if (wanted.contains(columns.get(i))) {
                kept.add(i);
            }
        }
        List<String> keptColumns = kept.stream().map(columns::get).toList();
        List<List<JsonNode>> keptRows = rows.stream().map(row -> kept.stream().map(row::get).toList()).toList();
        return new Listing(keptColumns, keptRows, record);
    }

    /** Each row as column name to value, in column order. */
    List<Map<String, JsonNode>> objects() {
        List<Map<String, JsonNode>> objects = new ArrayList<>();
        for (List<JsonNode> row : rows) {
            Map<String, JsonNode> object = new LinkedHashMap<>();
            for (int i = 0; i < columns.size(); i++) {
                object.put(columns.get(i), row.get(i));
            }
            objects.add(object);
        }
        return objects;
    }
}
