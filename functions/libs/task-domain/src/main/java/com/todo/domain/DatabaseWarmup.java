package com.todo.domain;

import com.todo.function.Warmup;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Requires;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.micronaut.data.jdbc.operations.JdbcRepositoryOperations;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.Statement;

/**
 * Takes the pool's first connection and runs one query, so the first event or request does not wait for PostgreSQL;
 * and creates Micronaut Data's JDBC operations, which the first repository call would otherwise create.
 */
@Singleton
@Requires(beans = DataSource.class)
public class DatabaseWarmup implements Warmup {

    private final DataSource dataSource;
    private final BeanProvider<JdbcRepositoryOperations> operations;

    public DatabaseWarmup(DataSource dataSource, BeanProvider<JdbcRepositoryOperations> operations) {
        // the injected DataSource hands out the current transaction's connection; outside one, the pool itself
        this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
        this.operations = operations;
    }

    @Override
    public void warm() throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("SELECT 1");
        }
        operations.get();
    }
}
