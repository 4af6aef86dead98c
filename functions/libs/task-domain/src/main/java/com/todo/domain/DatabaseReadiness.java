package com.todo.domain;

import com.todo.function.ReadinessCheck;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A deployable with a database is ready only while PostgreSQL answers. A probe waits at most
 * {@code todo.readiness.database-wait} for a connection: with the database down the pool would hold it for its whole
 * connection timeout (5–30 s), far beyond a probe's own timeout (1 s by default), and the probe would count as failed
 * anyway. One check at a time: a probe that arrives while one is under way waits for that one instead of taking one
 * more thread.
 */
@Singleton
@Requires(beans = DataSource.class)
public class DatabaseReadiness implements ReadinessCheck {

    private final DataSource dataSource;
    private final long waitMillis;
    private CompletableFuture<Boolean> running = CompletableFuture.completedFuture(false);

    public DatabaseReadiness(DataSource dataSource,
                             @Value("${todo.readiness.database-wait:500ms}") Duration wait) {
        // outside a transaction the pool itself (see DatabaseWarmup)
        this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
        this.waitMillis = wait.toMillis();
    }

    @Override
    public String name() {
        return "database";
    }

    @Override
    public boolean ready() {
        CompletableFuture<Boolean> check;
        synchronized (this) {
            if (running.isDone()) {
                running = CompletableFuture.supplyAsync(this::connects, DatabaseReadiness::daemon);
            }
            check = running;
        }
        try {
            return check.get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private boolean connects() {
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid(1);
        } catch (SQLException e) {
            return false;
        }
    }

    /** A thread of its own: a check that waits out the pool's timeout must not hold a pooled worker. */
    private static void daemon(Runnable check) {
        Thread thread = new Thread(check, "database-readiness");
        thread.setDaemon(true);
        thread.start();
    }
}
