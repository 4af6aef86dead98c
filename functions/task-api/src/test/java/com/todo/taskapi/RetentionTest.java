package com.todo.taskapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.todo.embedded.EmbeddedDatabase;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Retention on a database with rows on both sides of each window: {@code POST /maintenance/retention} deletes exactly
 * the rows past theirs, in batches, skipping a row another transaction holds instead of waiting for it.
 */
@MicronautTest(transactional = false)
class RetentionTest extends ApiTest {

    private static final String APP_TOKEN = "retention-app-token";
    private static final Instant NOW = Instant.now();

    @Override
    Map<String, String> extraProperties() {
        return Map.of("todo.app-api-token", APP_TOKEN, "todo.retention.batch", "2");
    }

    @Test
    void deletesExactlyTheRowsPastTheirWindowAndSkipsALockedOne() throws Exception {
        try (Connection db = connect()) {
            // outbox, 7 days after publishing: five old published rows (three batches of two), one recent, one pending
            for (int i = 0; i < 5; i++) {
                outbox(db, "old-" + i, ago(8), ago(8));
            }
            outbox(db, "recent", ago(8), ago(6));
            outbox(db, "pending", ago(30), null);
            // inbox, 35 days
            inbox(db, "old", ago(36));
            inbox(db, "recent", ago(34));
            // notifications, 90 days after being read; an unread one stays however old
            notification(db, "read-old", ago(200), ago(91));
            notification(db, "read-recent", ago(200), ago(89));
            notification(db, "unread-old", ago(200), null);
            // dead letters, 30 days after a replay that did not come back
            deadLetter(db, "replayed-old", ago(32), ago(31));
            deadLetter(db, "replayed-recent", ago(32), ago(29));
            deadLetter(db, "replayed-then-dead-again", ago(20), ago(31));
            deadLetter(db, "never-replayed", ago(100), null);
            // deliveries to a channel beyond in-app, 35 days after being delivered; one not delivered stays
            delivery(db, "delivered-old", ago(36));
            delivery(db, "delivered-recent", ago(34));
            delivery(db, "pending", null);

            JsonNode first;
            try (Connection holder = connect()) {
                holder.setAutoCommit(false);
                holder.createStatement().executeQuery("SELECT * FROM outbox WHERE event_id = 'old-0' FOR UPDATE");
                first = expect(200, send("POST", "/maintenance/retention", null, "application/json",
                        "dapr-api-token", APP_TOKEN));
                holder.rollback();
            }
            assertEquals(4, first.at("/deleted/outbox").asInt(), first.toString());
            assertEquals(Set.of("old-0", "recent", "pending"), ids(db, "SELECT event_id FROM outbox"),
                    "the locked row is skipped, not waited on");
            assertEquals(Set.of("recent"), ids(db, "SELECT event_id FROM inbox"));
            assertEquals(Set.of("read-recent", "unread-old"), ids(db, "SELECT title FROM notifications"));
            assertEquals(Set.of("replayed-recent", "replayed-then-dead-again", "never-replayed"),
                    ids(db, "SELECT event_id FROM dead_letters"));
            assertEquals(Set.of("delivered-recent", "pending"), ids(db, "SELECT channel FROM notification_deliveries"));

            JsonNode second = expect(200, send("POST", "/maintenance/retention", null, "application/json",
                    "dapr-api-token", APP_TOKEN));
            assertEquals(Map.of("outbox", 1, "inbox", 0, "notifications", 0, "dead_letters", 0,
                            "notification_deliveries", 0),
                    JSON.convertValue(second.get("deleted"), Map.class), "then the row it skipped, and nothing else");
            assertEquals(Set.of("recent", "pending"), ids(db, "SELECT event_id FROM outbox"));
        }
        assertEquals(401, send("POST", "/maintenance/retention", null, token("alice")).statusCode(),
                "an internal route: the app token, not a user's");
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(databaseUrl, EmbeddedDatabase.USER, "");
    }

    private static Timestamp ago(int days) {
        return Timestamp.from(NOW.minus(Duration.ofDays(days)));
    }

    private static void outbox(Connection db, String id, Timestamp created, Timestamp published) throws SQLException {
        update(db, "INSERT INTO outbox (event_id, aggregate_id, topic, type, payload, created_at, published_at) "
                + "VALUES (?, 'task', 'task-events', 'com.todo.task.created', '{}', ?, ?)", id, created, published);
    }

    private static void inbox(Connection db, String id, Timestamp processed) throws SQLException {
        update(db, "INSERT INTO inbox (consumer, event_id, processed_at) VALUES ('reminder-due', ?, ?)", id, processed);
    }

    private static void notification(Connection db, String title, Timestamp created, Timestamp read)
            throws SQLException {
        update(db, "INSERT INTO notifications (id, user_id, task_id, reminder_id, title, remind_at, created_at, read_at) "
                + "VALUES (?, 'alice', ?, ?, ?, ?, ?, ?)", UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(),
                title, created, created, read);
    }

    private static void deadLetter(Connection db, String id, Timestamp lastSeen, Timestamp replayed)
            throws SQLException {
        update(db, "INSERT INTO dead_letters (event_id, topic, type, event, first_seen, last_seen, deliveries, replays, "
                + "replayed_at) VALUES (?, 'task-events', 'com.todo.task.created', '{}', ?, ?, 1, ?, ?)", id, lastSeen,
                lastSeen, replayed == null ? 0 : 1, replayed);
    }

    private static void delivery(Connection db, String channel, Timestamp delivered) throws SQLException {
        update(db, "INSERT INTO notification_deliveries (notification_id, channel, not_before, delivered_at) "
                + "VALUES (?, ?, ?, ?)", UUID.randomUUID(), channel, ago(40), delivered);
    }

    private static void update(Connection db, String sql, Object... values) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                ps.setObject(i + 1, values[i]);
            }
            ps.executeUpdate();
        }
    }

    private static Set<String> ids(Connection db, String sql) throws SQLException {
        Set<String> ids = new TreeSet<>();
        try (ResultSet rs = db.createStatement().executeQuery(sql)) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }
}
