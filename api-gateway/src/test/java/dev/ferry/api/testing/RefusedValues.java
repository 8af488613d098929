package dev.ferry.api.testing;

import dev.ferry.api.db.Database;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.regex.Pattern;
import org.h2.api.Trigger;

/**
 * Makes a real database refuse a value the way a database refuses data it cannot hold (SQLState 22021,
 * "character not in repertoire", class 22 "data exception"): a trigger refuses every insert or update of
 * {@code table} whose {@code column} contains {@code text}. PostgreSQL runs a PL/pgSQL trigger, H2 the Java
 * trigger {@link H2Refusal}. Closing removes the trigger again.
 */
public final class RefusedValues implements AutoCloseable {
    /** The SQLState the trigger raises. */
    public static final String SQL_STATE = "22021";
    /** The message it raises (it never repeats the value). */
    public static final String MESSAGE = "the test database refuses this value";
    private static final Pattern NAME = Pattern.compile("[a-z_]+");
    private static final Pattern TEXT = Pattern.compile("[A-Za-z0-9-]+");
    private final Database db;
    private final List<String> removal;

    private RefusedValues(Database db, List<String> removal) {
        this.db = db;
        this.removal = removal;
    }

    public static RefusedValues install(Database db, Engine engine, String table, String column, String text) {
        if (!NAME.matcher(table).matches() || !NAME.matcher(column).matches() || !TEXT.matcher(text).matches()) {
            throw new IllegalArgumentException("table and column are lower-case names, text letters, digits and '-'");
        }
        List<String> install;
        List<String> removal;
        if (engine == Engine.POSTGRESQL) {
            install = List.of("CREATE FUNCTION refuse_" + table + "() RETURNS trigger AS $$ BEGIN "
                            + "IF NEW." + column + "::text LIKE '%" + text + "%' THEN "
                            + "RAISE EXCEPTION '" + MESSAGE + "' USING ERRCODE = '" + SQL_STATE + "'; END IF; "
                            + "RETURN NEW; END $$ LANGUAGE plpgsql",
                    "CREATE TRIGGER refuse_" + table + " BEFORE INSERT OR UPDATE ON " + table
                            + " FOR EACH ROW EXECUTE FUNCTION refuse_" + table + "()");
            removal = List.of("DROP TRIGGER refuse_" + table + " ON " + table, "DROP FUNCTION refuse_" + table + "()");
        } else {
            String trigger = "\"refuse|" + column + "|" + text + "\"";
            install = List.of("CREATE TRIGGER " + trigger + " BEFORE INSERT, UPDATE ON " + table
                    + " FOR EACH ROW CALL \"" + H2Refusal.class.getName() + "\"");
            removal = List.of("DROP TRIGGER " + trigger);
        }
        run(db, install);
        return new RefusedValues(db, removal);
    }

    @Override
    public void close() {
        run(db, removal);
    }

    private static void run(Database db, List<String> statements) {
        db.inTransaction(c -> {
            try (Statement s = c.createStatement()) {
                for (String sql : statements) {
                    s.execute(sql);
                }
            }
            return null;
        });
    }

    /** H2's side: the trigger's name ({@code refuse|<column>|<text>}) says what to refuse. */
    public static final class H2Refusal implements Trigger {
        private int column = -1;
        private String text;

        @Override
        public void init(Connection conn, String schema, String trigger, String table, boolean before, int type)
                throws SQLException {
            String[] parts = trigger.split("\\|");
            text = parts[2];
            try (ResultSet rs = conn.getMetaData().getColumns(null, schema, table, null)) {
                while (rs.next()) {
                    if (rs.getString("COLUMN_NAME").equalsIgnoreCase(parts[1])) {
                        column = rs.getInt("ORDINAL_POSITION") - 1;
                    }
                }
            }
            if (column < 0) {
                throw new SQLException("table " + table + " has no column " + parts[1]);
            }
        }

        @Override
        public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
            if (newRow != null && newRow[column] != null && newRow[column].toString().contains(text)) {
                throw new SQLException(MESSAGE, SQL_STATE);
            }
        }
    }
}
