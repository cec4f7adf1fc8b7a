/**
 * The origin's embedded relational store: {@link dev.edgecache.origin.db.Database} (JDBC connections, read work and
 * serialised write transactions) and the schema migrations run at start-up. Repositories in other packages take a
 * {@link java.sql.Connection} handed out here and never open their own.
 */
@NullMarked
package dev.edgecache.origin.db;

import org.jspecify.annotations.NullMarked;
