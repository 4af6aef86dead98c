package com.todo.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.todo.events.EventJson;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The dead-letter inbox (docs/operations.md): each event a dead-letter topic delivered, one row per event id. A
 * second delivery of the same id (daprd redelivering, or a replay that failed again) counts, it does not add a row.
 */
@Singleton
public class DeadLetterInbox {

    /** What a dead-letter topic is called: the topic it holds the dead letters of, and this. */
    public static final String DLQ_SUFFIX = "-dlq";
    /** Fields daprd adds to an event it delivers; they are not the event's own, so neither stored nor replayed. */
    private static final List<String> ENVELOPE_FIELDS = List.of("topic", "pubsubname");
    private static final int MAX_REASON = 1000;

    private final TransactionOperations<Connection> tx;

    public DeadLetterInbox(TransactionOperations<Connection> tx) {
        this.tx = tx;
    }

    /** A stored dead letter; {@code event} is the complete CloudEvent as structured JSON. */
    public record DeadLetter(String id, String topic, String type, @Nullable String subject, String event,
                             @Nullable String reason, Instant firstSeen, Instant lastSeen, int deliveries, int replays,
                             @Nullable Instant replayedAt) {
    }

    /** Filters of a listing, each optional; newest (last seen) first. */
    public record Query(@Nullable String topic, @Nullable String type, @Nullable Instant since,
                        @Nullable Instant until, int page, int size) {
    }

    /** A delivery that is not a dead letter this inbox can keep (not a CloudEvent, no topic): it is refused. */
    public static class NotADeadLetter extends RuntimeException {
        public NotADeadLetter(String message) {
            super(message);
        }
    }

    /**
     * Records one delivery of a dead-letter topic: the event as daprd delivered it (structured, with its envelope
     * fields), and the reason the gateway saw, if any.
     *
     * @return the event's id
     * @throws NotADeadLetter for a body that is not a structured CloudEvent with its topic
     */
    public String record(byte[] delivery, @Nullable String reason) {
        ObjectNode event = readEvent(delivery);
        String id = text(event, "id");
        String type = text(event, "type");
        if (id == null || type == null || text(event, "specversion") == null) {
            throw new NotADeadLetter("not a CloudEvent: id, type and specversion are required");
        }
        String topic = text(event, "topic");
        if (topic == null) {
            throw new NotADeadLetter("the delivery names no topic");
        }
        String origin = topic.endsWith(DLQ_SUFFIX) ? topic.substring(0, topic.length() - DLQ_SUFFIX.length()) : topic;
        ENVELOPE_FIELDS.forEach(event::remove);
        String subject = text(event, "subject");
        String stored = new String(EventJson.bytes(event), StandardCharsets.UTF_8);
        String why = reason == null || reason.isBlank() ? null
                : reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason;
        tx.executeWrite(status -> {
            try (PreparedStatement ps = status.getConnection().prepareStatement("""
                    INSERT INTO dead_letters (event_id, topic, type, subject, event, reason, first_seen, last_seen,
                                              deliveries)
                    VALUES (?, ?, ?, ?, ?, ?, now(), now(), 1)
                    ON CONFLICT (event_id) DO UPDATE SET topic = EXCLUDED.topic, type = EXCLUDED.type,
                        subject = EXCLUDED.subject, event = EXCLUDED.event,
                        reason = coalesce(EXCLUDED.reason, dead_letters.reason),
                        last_seen = now(), deliveries = dead_letters.deliveries + 1""")) {
                ps.setString(1, id);
                ps.setString(2, origin);
                ps.setString(3, type);
                ps.setString(4, subject);
                ps.setString(5, stored);
                ps.setString(6, why);
                return ps.executeUpdate();
            }
        });
        return id;
    }

    public Optional<DeadLetter> find(String id) {
        return tx.executeRead(status -> {
            try (PreparedStatement ps = status.getConnection().prepareStatement(
                    "SELECT * FROM dead_letters WHERE event_id = ?")) {
                ps.setString(1, id);
                List<DeadLetter> found = rows(ps);
                return found.isEmpty() ? Optional.<DeadLetter>empty() : Optional.of(found.get(0));
            }
        });
    }

    public List<DeadLetter> list(Query query) {
        Where where = where(query);
        return tx.executeRead(status -> {
            try (PreparedStatement ps = status.getConnection().prepareStatement("SELECT * FROM dead_letters"
                    + where.sql() + " ORDER BY last_seen DESC, event_id LIMIT ? OFFSET ?")) {
                int next = where.bind(ps);
                ps.setInt(next, query.size());
                ps.setLong(next + 1, (long) query.page() * query.size());
                return rows(ps);
            }
        });
    }

    public long count(Query query) {
        Where where = where(query);
        return tx.executeRead(status -> {
            try (PreparedStatement ps = status.getConnection().prepareStatement(
                    "SELECT count(*) FROM dead_letters" + where.sql())) {
                where.bind(ps);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /** Notes that the dead letter was published again; false when there is no such dead letter. */
    public boolean markReplayed(String id) {
        return tx.executeWrite(status -> {
            try (PreparedStatement ps = status.getConnection().prepareStatement(
                    "UPDATE dead_letters SET replays = replays + 1, replayed_at = now() WHERE event_id = ?")) {
                ps.setString(1, id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** @return false when there was no such dead letter */
    public boolean delete(String id) {
        return tx.executeWrite(status -> {
            try (PreparedStatement ps = status.getConnection().prepareStatement(
                    "DELETE FROM dead_letters WHERE event_id = ?")) {
                ps.setString(1, id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    private static ObjectNode readEvent(byte[] delivery) {
        JsonNode node;
        try {
            node = delivery == null || delivery.length == 0 ? null : EventJson.MAPPER.readTree(delivery);
        } catch (IOException e) {
            throw new NotADeadLetter("the delivery is not JSON");
        }
        if (!(node instanceof ObjectNode object)) {
            throw new NotADeadLetter("the delivery is not a structured CloudEvent (a JSON object)");
        }
        return object;
    }

    private static @Nullable String text(JsonNode event, String field) {
        JsonNode value = event.get(field);
        return value != null && value.isTextual() && !value.asText().isEmpty() ? value.asText() : null;
    }

    private static List<DeadLetter> rows(PreparedStatement ps) throws SQLException {
        List<DeadLetter> rows = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Timestamp replayed = rs.getTimestamp("replayed_at");
                rows.add(new DeadLetter(rs.getString("event_id"), rs.getString("topic"), rs.getString("type"),
                        rs.getString("subject"), rs.getString("event"), rs.getString("reason"),
                        rs.getTimestamp("first_seen").toInstant(), rs.getTimestamp("last_seen").toInstant(),
                        rs.getInt("deliveries"), rs.getInt("replays"), replayed == null ? null : replayed.toInstant()));
            }
        }
        return rows;
    }

    private static Where where(Query q) {
        List<String> conditions = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        if (q.topic() != null) {
            conditions.add("topic = ?");
            values.add(q.topic());
        }
        if (q.type() != null) {
            conditions.add("type = ?");
            values.add(q.type());
        }
        if (q.since() != null) {
            conditions.add("last_seen >= ?");
            values.add(Timestamp.from(q.since()));
        }
        if (q.until() != null) {
            conditions.add("last_seen < ?");
            values.add(Timestamp.from(q.until()));
        }
        return new Where(conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions), values);
    }

    private record Where(String sql, List<Object> values) {
        int bind(PreparedStatement ps) throws SQLException {
            for (int i = 0; i < values.size(); i++) {
                ps.setObject(i + 1, values.get(i));
            }
            return values.size() + 1;
        }
    }

    /** The stored event's bytes, as a replay publishes them. */
    public static byte[] eventBytes(DeadLetter letter) {
        return letter.event().getBytes(StandardCharsets.UTF_8);
    }
}
