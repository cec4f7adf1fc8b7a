package dev.edgecache.origin.db;

import java.sql.Connection;
import java.sql.SQLException;

/** Work done with one JDBC connection; see {@link Database#read} and {@link Database#write}. */
@FunctionalInterface
public interface SqlWork<T> {
    T apply(Connection connection) throws SQLException;
}
