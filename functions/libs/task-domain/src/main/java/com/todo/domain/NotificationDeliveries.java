package com.todo.domain;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The channels beyond in-app a notification goes to (table {@code notification_deliveries}): recorded in the
 * notification's transaction, delivered after it commits, each one until it is delivered. A failure waits a
 * backoff (1 min doubling, at most 1 h) before the sweep tries again; the event's own redelivery tries at once.
 */
@Singleton
public class NotificationDeliveries {

    /** After this many failures a delivery is given up (about a day of tries); reminder-due logs the last one. */
    public static final int MAX_ATTEMPTS = 30;
    private static final int MAX_ERROR = 500;

    private final TransactionOperations<Connection> tx;

    public NotificationDeliveries(TransactionOperations<Connection> tx) {
        this.tx = tx;
    }

    /** A delivery to make: {@code address} is the channel's own (an email address), null for an operator's binding. */
    public record Pending(UUID notificationId, String channel, @Nullable String address, int attempts) {
    }

    /** Inside the notification's transaction. */
    public void record(UUID notificationId, String channel, @Nullable String address, Instant notBefore) {
        update("INSERT INTO notification_deliveries (notification_id, channel, address, not_before) "
                + "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING", notificationId, channel, address, notBefore);
    }

    /**
     * The notification's deliveries not yet made: those whose time has come, and those that failed before whatever
     * their backoff (the event's redelivery is their retry; quiet hours only hold back a first try).
     */
    public List<Pending> due(UUID notificationId, Instant now) {
        return query("SELECT notification_id, channel, address, attempts FROM notification_deliveries "
                + "WHERE notification_id = ? AND delivered_at IS NULL AND attempts < ? AND (not_before <= ? "
                + "OR attempts > 0)", notificationId, MAX_ATTEMPTS, now);
    }

    /** How an attempt ended. */
    public enum Attempt { DELIVERED, FAILED, BUSY }

    /**
     * Makes one delivery in its own transaction with its row locked: a concurrent attempt (the sweep and the event's
     * redelivery) finds it BUSY and leaves it, so a delivery is made once unless the process dies between sending
     * and this commit. {@code send} throws when the channel did not take it.
     */
    public Attempt attempt(Pending delivery, Instant now, java.util.function.Consumer<Pending> send) {
        return tx.executeWrite(status -> {
            try (PreparedStatement lock = prepare(status.getConnection(), "SELECT delivered_at FROM "
                    + "notification_deliveries WHERE notification_id = ? AND channel = ? FOR UPDATE SKIP LOCKED",
                    delivery.notificationId(), delivery.channel()); ResultSet rs = lock.executeQuery()) {
                if (!rs.next()) {
                    return Attempt.BUSY;
                }
                if (rs.getTimestamp(1) != null) {
                    return Attempt.DELIVERED;
                }
            }
            try {
                send.accept(delivery);
            } catch (RuntimeException e) {
                failed(delivery, now, e.toString());
                return Attempt.FAILED;
            }
            delivered(delivery, now);
            return Attempt.DELIVERED;
        });
    }

    /** Every notification's deliveries not yet made whose time has come, oldest first. */
    public List<Pending> due(Instant now, int limit) {
        return query("SELECT notification_id, channel, address, attempts FROM notification_deliveries "
                + "WHERE delivered_at IS NULL AND not_before <= ? AND attempts < ? ORDER BY not_before LIMIT ?",
                now, MAX_ATTEMPTS, limit);
    }

    private void delivered(Pending delivery, Instant now) {
        update("UPDATE notification_deliveries SET delivered_at = ?, attempts = attempts + 1, last_error = NULL "
                + "WHERE notification_id = ? AND channel = ?", now, delivery.notificationId(), delivery.channel());
    }

    private void failed(Pending delivery, Instant now, String error) {
        Duration backoff = Duration.ofMinutes(1L << Math.min(delivery.attempts(), 6));
        Instant retryAt = now.plus(backoff.compareTo(Duration.ofHours(1)) > 0 ? Duration.ofHours(1) : backoff);
        update("UPDATE notification_deliveries SET attempts = attempts + 1, not_before = ?, last_error = ? "
                + "WHERE notification_id = ? AND channel = ? AND delivered_at IS NULL", retryAt,
                error.length() > MAX_ERROR ? error.substring(0, MAX_ERROR) : error, delivery.notificationId(),
                delivery.channel());
    }

    private void update(String sql, Object... parameters) {
        tx.executeWrite(status -> {
            try (PreparedStatement ps = prepare(status.getConnection(), sql, parameters)) {
                return ps.executeUpdate();
            }
        });
    }

    private List<Pending> query(String sql, Object... parameters) {
        return tx.executeRead(status -> {
            List<Pending> pending = new ArrayList<>();
            try (PreparedStatement ps = prepare(status.getConnection(), sql, parameters);
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    pending.add(new Pending(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getInt(4)));
                }
            }
            return pending;
        });
    }

    private static PreparedStatement prepare(Connection connection, String sql, Object... parameters)
            throws SQLException {
        PreparedStatement ps = connection.prepareStatement(sql);
        for (int i = 0; i < parameters.length; i++) {
            Object p = parameters[i];
            ps.setObject(i + 1, p instanceof Instant instant ? Timestamp.from(instant) : p);
        }
        return ps;
    }
}
