package com.todo.store;

import com.todo.function.ReadinessCheck;
import io.micronaut.context.annotation.Requires;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A deployable with a database is ready only while PostgreSQL answers. One check at a time: a probe that arrives while
 * another waits for the pool (up to its connection timeout when the database is down) gets the last answer instead
 * of tying up one more thread.
 */
@Singleton
@Requires(beans = DataSource.class)
public class DatabaseReadiness implements ReadinessCheck {

    private final DataSource dataSource;
    private final AtomicBoolean checking = new AtomicBoolean();
    private volatile boolean last;

    public DatabaseReadiness(DataSource dataSource) {
        // outside a transaction the pool itself (see DatabaseWarmup)
        this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
    }

    @Override
    public String name() {
        return "database";
    }

    @Override
    public boolean ready() {
        if (!checking.compareAndSet(false, true)) {
            return last;
        }
        try (Connection connection = dataSource.getConnection()) {
            last = connection.isValid(1);
        } catch (SQLException e) {
            last = false;
        } finally {
            checking.set(false);
        }
        return last;
    }
}
