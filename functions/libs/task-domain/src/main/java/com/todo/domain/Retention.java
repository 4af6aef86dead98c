package com.todo.domain;

import io.micronaut.context.annotation.Value;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Deletes what has served its purpose, older than its window (docs/operations.md): published outbox rows, inbox rows,
 * read notifications, and dead letters replayed and not dead-lettered since. In batches, each its own short
 * transaction whose rows are locked with SKIP LOCKED, so a run never holds many locks nor waits on a busy row.
 */
@Singleton
public class Retention {

    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);

    /** What one run deleted, per table. */
    public record Deleted(Map<String, Integer> rows) {
    }

    /** A table's old rows: the condition, on the row's time column, that makes a row old enough to go. */
    private record Rule(String table, String old, Duration window) {
    }

    private final TransactionOperations<Connection> tx;
    private final Rule[] rules;
    private final int batch;

    public Retention(TransactionOperations<Connection> tx,
                     @Value("${todo.retention.outbox:7d}") Duration outbox,
                     @Value("${todo.retention.inbox:35d}") Duration inbox,
                     @Value("${todo.retention.notifications:90d}") Duration notifications,
                     @Value("${todo.retention.dead-letters:30d}") Duration deadLetters,
                     @Value("${todo.retention.deliveries:35d}") Duration deliveries,
                     @Value("${todo.retention.batch:1000}") int batch) {
        this.tx = tx;
        this.batch = batch;
        this.rules = new Rule[]{
                new Rule("outbox", "published_at < ?", outbox),
                new Rule("inbox", "processed_at < ?", inbox),
                new Rule("notifications", "read_at < ?", notifications),
                new Rule("dead_letters", "replayed_at < ? AND replayed_at >= last_seen", deadLetters),
                new Rule("notification_deliveries", "delivered_at < ?", deliveries)};
    }

    public Deleted run() {
        Instant now = Instant.now();
        Map<String, Integer> deleted = new LinkedHashMap<>();
        for (Rule rule : rules) {
            Timestamp before = Timestamp.from(now.minus(rule.window()));
            // the rows' physical ids, locked by the subquery: no other statement can move them before the delete
            String sql = "DELETE FROM " + rule.table() + " WHERE ctid = ANY (ARRAY(SELECT ctid FROM " + rule.table()
                    + " WHERE " + rule.old() + " LIMIT ? FOR UPDATE SKIP LOCKED))";
            int total = 0;
            int rows;
            do {
                rows = tx.executeWrite(status -> {
                    try (PreparedStatement ps = status.getConnection().prepareStatement(sql)) {
                        ps.setTimestamp(1, before);
                        ps.setInt(2, batch);
                        return ps.executeUpdate();
                    }
                });
                total += rows;
            } while (rows == batch);
            deleted.put(rule.table(), total);
        }
        if (deleted.values().stream().anyMatch(n -> n > 0)) {
            LOG.info("retention deleted {}", deleted);
        }
        return new Deleted(deleted);
    }
}
