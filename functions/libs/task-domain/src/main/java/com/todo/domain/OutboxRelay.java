package com.todo.domain;

import com.todo.events.CrashPoints;
import com.todo.events.EventPublisher;
import com.todo.events.EventPublisher.OutgoingEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.transaction.TransactionOperations;
import io.micronaut.transaction.annotation.TransactionalEventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes committed outbox rows (architecture D2): right after each commit, on {@code POST /outbox/flush}, on a
 * short retry timer while the process lives, and once more on shutdown. Per task only the oldest unsent row is a
 * candidate, and candidates are claimed with {@code FOR UPDATE SKIP LOCKED}, so any number of relays publish each
 * task's events in order and each row once (a {@link DurableQueue}). A failed publish leaves the row pending with exponential backoff; a
 * crash after publishing but before marking republishes the same stored event, with the same id.
 */
@Singleton
public class OutboxRelay {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);

    private static final String COUNT_PENDING = "SELECT count(*), coalesce(extract(epoch FROM now() - min(created_at)), 0) "
            + "FROM outbox WHERE published_at IS NULL";

    private static final Duration SHUTDOWN_RETRY = Duration.ofMillis(200);

    private final TransactionOperations<Connection> tx;
    private final EventPublisher publisher;
    private final int batchSize;
    private final DurableQueue<OutgoingEvent> queue;
    private final Duration shutdownBudget;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong oldestPendingSeconds = new AtomicLong();
    private final Counter publishedCounter;
    private final Counter failureCounter;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "outbox-relay");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();

    public OutboxRelay(TransactionOperations<Connection> tx, EventPublisher publisher,
                       @Value("${todo.outbox.batch-size:100}") int batchSize,
                       @Value("${todo.outbox.backoff-base:1s}") Duration backoffBase,
                       @Value("${todo.outbox.backoff-max:60s}") Duration backoffMax,
                       @Value("${todo.outbox.shutdown-budget:10s}") Duration shutdownBudget,
                       @Nullable MeterRegistry meters) {
        this.tx = tx;
        this.publisher = publisher;
        this.batchSize = batchSize;
        // per task only the oldest unsent row is a candidate; a published row stays, marked
        this.queue = DurableQueue.keepingDone("outbox", "aggregate_id", "event_id, type, topic, aggregate_id, payload",
                "published_at", rs -> new OutgoingEvent(rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getString(7).getBytes(StandardCharsets.UTF_8)),
                new DurableQueue.Backoff(backoffBase, backoffMax));
        this.shutdownBudget = shutdownBudget;
        if (meters != null) {
            Gauge.builder("todo.outbox.pending", pending, AtomicLong::get)
                    .description("Outbox rows not yet published (as of the last flush)").register(meters);
            Gauge.builder("todo.outbox.oldest.pending.seconds", oldestPendingSeconds, AtomicLong::get)
                    .description("Age of the oldest outbox row not yet published (as of the last flush)").register(meters);
            publishedCounter = Counter.builder("todo.outbox.published").register(meters);
            failureCounter = Counter.builder("todo.outbox.publish.failures")
                    .description("Publish attempts that failed and were left pending").register(meters);
        } else {
            publishedCounter = null;
            failureCounter = null;
        }
    }

    /** What one flush did, and what it left: how many rows, the oldest how old (0 when none). */
    @Serdeable
    public record FlushResult(int published, int failed, long pending, long oldestPendingSeconds) {
    }

    private record Pending(long rows, long oldestSeconds) {
    }

    @TransactionalEventListener(TransactionalEventListener.TransactionPhase.AFTER_COMMIT)
    void onAppended(OutboxAppended event) {
        CrashPoints.reached("after-commit-before-publish");
        flushSoon();
    }

    /** Retries rows whose backoff has passed, and picks up rows a previous process left behind. */
    @Scheduled(fixedDelay = "${todo.outbox.retry-interval:5s}", initialDelay = "${todo.outbox.retry-interval:5s}")
    void retry() {
        flushSoon();
    }

    /** Flushes in the background; calls while a flush runs coalesce into one more flush. */
    public void flushSoon() {
        again.set(true);
        if (running.compareAndSet(false, true)) {
            try {
                executor.execute(this::drain);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                running.set(false); // shutting down: the final flush takes the rows
            }
        }
    }

    private void drain() {
        try {
            while (again.getAndSet(false)) {
                flush();
            }
        } catch (RuntimeException e) {
            LOG.warn("Outbox flush failed; the rows stay pending: {}", e.toString());
        } finally {
            running.set(false);
            if (again.get()) {
                flushSoon();
            }
        }
    }

    /** Publishes every due pending row, per task in order; returns when none is left that can go now. */
    public FlushResult flush() {
        return flush(Long.MAX_VALUE, false);
    }

    private FlushResult flush(long deadlineNanos, boolean ignoreBackoff) {
        int published = 0;
        int failed = 0;
        while (System.nanoTime() < deadlineNanos) {
            Batch batch = tx.executeWrite(status -> publishBatch(status.getConnection(), ignoreBackoff));
            published += batch.published;
            failed += batch.failed;
            if (batch.published == 0 || batch.failed > 0) {
                break;
            }
        }
        Pending left = tx.executeRead(status -> countPending(status.getConnection()));
        pending.set(left.rows());
        oldestPendingSeconds.set(left.oldestSeconds());
        return new FlushResult(published, failed, left.rows(), left.oldestSeconds());
    }

    private record Batch(int published, int failed) {
    }

    private Batch publishBatch(Connection connection, boolean ignoreBackoff) throws SQLException {
        int published = 0;
        for (DurableQueue.Claimed<OutgoingEvent> row : queue.claimHeads(connection, batchSize, ignoreBackoff)) {
            try {
                publisher.publish(row.row());
                CrashPoints.reached("relay-after-publish");
            } catch (RuntimeException e) {
                // The rest of the batch would most likely fail the same way (sidecar or broker down): stop here.
                markFailed(connection, row, e);
                return new Batch(published, 1);
            }
            queue.done(connection, row);
            published++;
            if (publishedCounter != null) {
                publishedCounter.increment();
            }
        }
        return new Batch(published, 0);
    }

    private void markFailed(Connection connection, DurableQueue.Claimed<OutgoingEvent> row, RuntimeException e)
            throws SQLException {
        Duration delay = queue.retryLater(connection, row, String.valueOf(e.getMessage()));
        OutgoingEvent event = row.row();
        LOG.warn("Publishing event {} ({}) of {} failed (attempt {}), retrying in {} ms: {}", event.id(), event.type(),
                event.partitionKey(), row.attempts() + 1, delay.toMillis(), e.toString());
        if (failureCounter != null) {
            failureCounter.increment();
        }
    }

    private static Pending countPending(Connection connection) throws SQLException {
        try (PreparedStatement count = connection.prepareStatement(COUNT_PENDING); ResultSet rs = count.executeQuery()) {
            rs.next();
            return new Pending(rs.getLong(1), (long) Math.ceil(rs.getDouble(2)));
        }
    }

    /**
     * On shutdown (SIGTERM), publish what is pending within a time budget, so nothing waits for the next wake-up.
     * Backoff is ignored and failures are retried every {@code SHUTDOWN_RETRY} until the budget is spent: a sidecar
     * that just came back needs a moment before its channel reconnects.
     */
    @PreDestroy
    void shutdown() throws InterruptedException {
        long deadline = System.nanoTime() + shutdownBudget.toNanos();
        executor.shutdown();
        executor.awaitTermination(shutdownBudget.toMillis(), TimeUnit.MILLISECONDS);
        int published = 0;
        long left = -1;
        while (System.nanoTime() < deadline) {
            try {
                FlushResult result = flush(deadline, true);
                published += result.published();
                left = result.pending();
                if (left == 0) {
                    break;
                }
            } catch (RuntimeException e) {
                LOG.warn("Shutdown flush failed: {}", e.toString());
            }
            Thread.sleep(SHUTDOWN_RETRY.toMillis());
        }
        if (published > 0 || left != 0) {
            LOG.info("Shutdown flush: {} published, {} still pending for the next flush", published,
                    left < 0 ? "unknown" : left);
        }
    }
}
