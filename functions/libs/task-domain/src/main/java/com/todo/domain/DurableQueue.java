package com.todo.domain;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A durable queue in one PostgreSQL table, in order per key: only the oldest pending row of a key can be claimed,
 * and claims take {@code FOR UPDATE SKIP LOCKED}, so any number of workers share the table, each key's rows go one
 * at a time in order, and a key whose head is held or backing off waits as a whole. A row that failed backs off
 * exponentially; a row that is done is either marked (and kept) or deleted. Both the outbox relay and local mode's
 * delivery are this queue.
 *
 * <p>The table has {@code seq bigserial}, {@code attempts int}, {@code next_attempt_at timestamptz} and
 * {@code last_error text}, besides its key and payload columns. Every method runs on the caller's connection, inside
 * the caller's transaction: a claim holds its rows until that transaction ends.
 */
public final class DurableQueue<T> {

    /** Reads a claimed row's payload columns, which follow {@code seq} and {@code attempts} (column 3 on). */
    @FunctionalInterface
    public interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /** A claimed row: its sequence number, how often it was tried, and its payload. */
    public record Claimed<T>(long seq, int attempts, T row) {
    }

    /** base, 2×base, 4×base … up to max. */
    public record Backoff(Duration base, Duration max) {
        public Duration after(int attempt) {
            Duration delay = base.multipliedBy(1L << Math.min(Math.max(attempt, 1) - 1, 20));
            return delay.compareTo(max) > 0 ? max : delay;
        }
    }

    private final String claim;
    private final String done;
    private final String retry;
    private final String remove;
    private final RowReader<T> reader;
    private final Backoff backoff;

    private DurableQueue(String table, String key, String columns, String doneColumn, RowReader<T> reader,
                         Backoff backoff) {
        String pending = doneColumn == null ? "" : " AND %s." + doneColumn + " IS NULL";
        this.claim = """
                SELECT q.seq, q.attempts, %3$s FROM %1$s q
                WHERE (q.next_attempt_at <= now() OR ?)%4$s
                  AND q.seq = (SELECT min(h.seq) FROM %1$s h WHERE h.%2$s = q.%2$s%5$s)
                ORDER BY q.seq LIMIT ?
                FOR UPDATE OF q SKIP LOCKED""".formatted(table, key, qualified(columns),
                pending.formatted("q"), pending.formatted("h"));
        this.done = doneColumn == null ? "DELETE FROM " + table + " WHERE seq = ?"
                : "UPDATE " + table + " SET " + doneColumn + " = now(), attempts = attempts + 1, last_error = NULL "
                + "WHERE seq = ?";
        this.retry = "UPDATE " + table + " SET attempts = attempts + 1, "
                + "next_attempt_at = now() + make_interval(secs => ?), last_error = ? WHERE seq = ?";
        this.remove = "DELETE FROM " + table + " WHERE seq = ?";
        this.reader = reader;
        this.backoff = backoff;
    }

    /** A queue whose done rows stay, with {@code doneColumn} set to the time they were done. */
    public static <T> DurableQueue<T> keepingDone(String table, String key, String columns, String doneColumn,
                                                  RowReader<T> reader, Backoff backoff) {
        return new DurableQueue<>(table, key, columns, doneColumn, reader, backoff);
    }

    /** A queue whose done rows are deleted. */
    public static <T> DurableQueue<T> deletingDone(String table, String key, String columns, RowReader<T> reader,
                                                   Backoff backoff) {
        return new DurableQueue<>(table, key, columns, null, reader, backoff);
    }

    /**
     * Claims up to {@code limit} heads of their keys, oldest first, skipping keys another transaction holds.
     * With {@code ignoreBackoff} rows that are backing off are claimed too (a last flush before shutdown).
     */
    public List<Claimed<T>> claimHeads(Connection connection, int limit, boolean ignoreBackoff) throws SQLException {
        List<Claimed<T>> rows = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(claim)) {
            ps.setBoolean(1, ignoreBackoff);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Claimed<>(rs.getLong(1), rs.getInt(2), reader.read(rs)));
                }
            }
        }
        return rows;
    }

    /** The row is done: marked or deleted, and the next row of its key becomes its head. */
    public void done(Connection connection, Claimed<T> row) throws SQLException {
        update(connection, done, row.seq());
    }

    /** The row leaves the queue without being done (it was dead-lettered elsewhere). */
    public void remove(Connection connection, Claimed<T> row) throws SQLException {
        update(connection, remove, row.seq());
    }

    /** The row failed: it stays its key's head and is tried again after the backoff, which is returned. */
    public Duration retryLater(Connection connection, Claimed<T> row, String error) throws SQLException {
        Duration delay = backoff.after(row.attempts() + 1);
        try (PreparedStatement ps = connection.prepareStatement(retry)) {
            ps.setDouble(1, delay.toMillis() / 1000.0);
            ps.setString(2, error);
            ps.setLong(3, row.seq());
            ps.executeUpdate();
        }
        return delay;
    }

    private static void update(Connection connection, String sql, long seq) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setLong(1, seq);
            ps.executeUpdate();
        }
    }

    private static String qualified(String columns) {
        return String.join(", ", java.util.Arrays.stream(columns.split(","))
                .map(c -> "q." + c.strip()).toList());
    }
}
