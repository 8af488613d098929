package dev.ferry.api.db;

/**
 * Sorting and paging of a list query. {@code sortColumn} must be a column the repository allows;
 * {@code limit} and {@code offset} are null for "all" and "from the start".
 */
public record Page(String sortColumn, boolean ascending, Integer limit, Integer offset) {

    public static Page newestFirst() {
        return new Page("created_at", false, null, null);
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
