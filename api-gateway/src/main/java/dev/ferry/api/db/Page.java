package dev.ferry.api.db;

import java.util.List;

/**
 * Sorting and paging of a list query. {@code sortColumn} must be a column the repository allows;
 * {@code limit} and {@code offset} are null for "all" and "from the start".
 */
public record Page(String sortColumn, boolean ascending, Integer limit, Integer offset) {

    public static Page newestFirst() {
        return new Page("created_at", false, null, null);
    }

    /**
     * Keeps only the rows after the marker row (whose sort value is {@code markerValue} and id {@code markerId}) in
     * this page's order, ties broken by id as {@link #clauses} orders them: Manila's {@code marker}.
     */
    void appendAfter(StringBuilder sql, List<Object> args, String sortExpression, Object markerValue,
                     String markerId) {
        String cmp = ascending ? ">" : "<";
        sql.append(" AND (").append(sortExpression).append(' ').append(cmp).append(" ? OR (")
                .append(sortExpression).append(" = ? AND id ").append(cmp).append(" ?))");
        args.add(markerValue);
        args.add(markerValue);
        args.add(markerId);
    }

    /** The ORDER BY, LIMIT and OFFSET clauses; {@code sortExpression} is the column or an expression over it. */
    String clauses(String sortExpression) {
        String dir = ascending ? " ASC" : " DESC";
        StringBuilder sql = new StringBuilder(" ORDER BY ").append(sortExpression).append(dir).append(", id").append(dir);
        if (limit != null) {
            sql.append(" LIMIT ").append((long) limit);
        }
        if (offset != null) {
            sql.append(" OFFSET ").append((long) offset);
        }
        return sql.toString();
    }
}
