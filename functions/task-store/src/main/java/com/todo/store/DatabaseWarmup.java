package com.todo.store;

import com.todo.function.Warmup;
import io.micronaut.context.annotation.Requires;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.Statement;

/** Takes the pool's first connection and runs one query, so the first event or request does not wait for PostgreSQL. */
@Singleton
@Requires(beans = DataSource.class)
public class DatabaseWarmup implements Warmup {

    private final DataSource dataSource;

    public DatabaseWarmup(DataSource dataSource) {
        // the injected DataSource hands out the current transaction's connection; outside one, the pool itself
        this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
    }

    @Override
    public void warm() throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("SELECT 1");
        }
    }
}
