package dev.ferry.api.db;

import java.sql.Connection;
import java.sql.SQLException;

/** Work done on one connection (inside a transaction, or with auto-commit for reads). */
@FunctionalInterface
public interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
}
