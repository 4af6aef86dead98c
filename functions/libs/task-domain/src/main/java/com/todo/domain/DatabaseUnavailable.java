package com.todo.domain;

import io.micronaut.data.connection.exceptions.ConnectionException;
import io.micronaut.data.connection.jdbc.exceptions.CannotGetJdbcConnectionException;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

/** Tells a failure to reach the database (down, restarting, pool exhausted) from an error of ours. */
public final class DatabaseUnavailable {

    /** admin_shutdown, crash_shutdown, cannot_connect_now: the server is stopping or still starting. */
    private static final Set<String> SERVER_NOT_READY = Set.of("57P01", "57P02", "57P03");

    private DatabaseUnavailable() {
    }

    /** True when anything in the cause chain says the connection failed, not the statement. */
    public static boolean causedBy(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CannotGetJdbcConnectionException || t instanceof ConnectionException
                    || t instanceof SQLTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || SERVER_NOT_READY.contains(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }
}
