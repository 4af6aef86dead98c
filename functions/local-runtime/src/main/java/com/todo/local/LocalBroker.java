package com.todo.local;

import com.fasterxml.jackson.core.type.TypeReference;
import com.todo.events.CrashPoints;
import com.todo.events.EventJson;
import com.todo.events.EventPublisher;
import com.todo.function.AppApiTokenFilter;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.transaction.TransactionOperations;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Local mode's pub/sub, standing in for daprd and Kafka (architecture D8): published events are kept in PostgreSQL
 * (in the publisher's transaction, when it has one) and delivered to the routes of the cluster's own Subscription
 * files, per partition key in order, with daprd's answer contract: SUCCESS acks; DROP, a 404 or no matching route
 * go to the dead-letter record with the reason; anything else is retried with backoff, and after
 * {@code todo.local.max-attempts} goes to the dead-letter record too.
 */
@Singleton
@Requires(property = "todo.events.publisher", value = "local")
public class LocalBroker implements EventPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(LocalBroker.class);
    private static final String CLAIM = """
            SELECT m.seq, m.event_id, m.topic, m.type, m.event, m.attempts FROM local_messages m
            WHERE m.next_attempt_at <= now()
              AND m.seq = (SELECT min(h.seq) FROM local_messages h WHERE h.partition_key = m.partition_key)
            ORDER BY m.seq LIMIT 1
            FOR UPDATE OF m SKIP LOCKED""";

    private final TransactionOperations<Connection> tx;
    private final LocalSubscriptions subscriptions;
    private final String baseUrl;
    private final String appToken;
    private final int maxAttempts;
    private final Duration poll;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final SecureRandom random = new SecureRandom();
    private final Object signal = new Object();
    private volatile boolean running = true;
    private Thread deliverer;

    public LocalBroker(TransactionOperations<Connection> tx, @Value("${todo.local.subscriptions}") String subscriptionsDir,
                       @Value("${todo.local.base-url}") String baseUrl, @Value("${todo.app-api-token:}") String appToken,
                       @Value("${todo.local.max-attempts:12}") int maxAttempts,
                       @Value("${todo.local.delivery-poll:200ms}") Duration poll) {
        this.tx = tx;
        this.subscriptions = LocalSubscriptions.load(Path.of(subscriptionsDir));
        this.baseUrl = baseUrl;
        this.appToken = appToken;
        this.maxAttempts = maxAttempts;
        this.poll = poll;
    }

    @Override
    public void publish(OutgoingEvent event) {
        tx.executeWrite(status -> {
            try (PreparedStatement ps = status.getConnection().prepareStatement(
                    "INSERT INTO local_messages (event_id, topic, partition_key, type, event) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, event.id());
                ps.setString(2, event.topic());
                ps.setString(3, event.partitionKey());
                ps.setString(4, event.type());
                ps.setString(5, new String(event.structured(), StandardCharsets.UTF_8));
                return ps.executeUpdate();
            }
        });
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    /** Once the server listens: a job or a delivery fired before would find nobody to call (and wait out a retry). */
    @EventListener
    void onStartup(ServerStartupEvent event) {
        deliverer = new Thread(this::loop, "local-delivery");
        deliverer.setDaemon(true);
        deliverer.start();
    }

    private void loop() {
        while (running) {
            try {
                if (!deliverOne()) {
                    synchronized (signal) {
                        signal.wait(poll.toMillis());
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // the database itself failed (a message's own failures are recorded on it): wait before the next try
                LOG.warn("local delivery: {}", e.toString());
                try {
                    Thread.sleep(Math.max(poll.toMillis(), 1000));
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    /** Delivers the oldest due message of one partition key; false when none is due. */
    boolean deliverOne() {
        return tx.executeWrite(status -> {
            Connection c = status.getConnection();
            long seq;
            String id;
            String topic;
            String type;
            String event;
            int attempts;
            try (PreparedStatement ps = c.prepareStatement(CLAIM); ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
                seq = rs.getLong(1);
                id = rs.getString(2);
                topic = rs.getString(3);
                type = rs.getString(4);
                event = rs.getString(5);
                attempts = rs.getInt(6);
            }
            if (!subscriptions.subscribed(topic)) {
                delete(c, seq); // nobody subscribes (notification-events): acked, as a broker without consumers keeps it
                return true;
            }
            Map<String, Object> envelope;
            try {
                envelope = envelope(event, topic);
            } catch (IllegalArgumentException unreadable) {
                // it would fail the same way on every attempt, and hold up its partition key: dead-lettered at once
                deadLetter(c, seq, id, topic, type, event, unreadable.getMessage());
                return true;
            }
            Optional<String> route;
            try {
                route = subscriptions.route(topic, envelope);
            } catch (RuntimeException e) {
                // a rule that cannot be evaluated on this message: backed off like a failed delivery, not spun on
                retryOrDeadLetter(c, seq, id, topic, type, event, attempts, "routing failed: " + e);
                return true;
            }
            if (route.isEmpty()) {
                deadLetter(c, seq, id, topic, type, event, "no subscription rule matched and there is no default route");
                return true;
            }
            Outcome outcome = post(route.get(), envelope);
            if (outcome.kind() == Kind.SUCCESS) {
                CrashPoints.reached("handled-before-ack");
            }
            switch (outcome.kind()) {
                case SUCCESS -> delete(c, seq);
                case DROP -> deadLetter(c, seq, id, topic, type, event, outcome.reason());
                case RETRY -> retryOrDeadLetter(c, seq, id, topic, type, event, attempts, outcome.reason());
            }
            return true;
        });
    }

    private void retryOrDeadLetter(Connection c, long seq, String id, String topic, String type, String event,
                                   int attempts, String reason) throws java.sql.SQLException {
        if (attempts + 1 >= maxAttempts) {
            deadLetter(c, seq, id, topic, type, event, "retries exhausted: " + reason);
        } else {
            retryLater(c, seq, attempts + 1, reason);
        }
    }

    private enum Kind { SUCCESS, DROP, RETRY }

    private record Outcome(Kind kind, String reason) {
    }

    /** daprd's contract (platform contracts §1). */
    private Outcome post(String path, Map<String, Object> envelope) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/cloudevents+json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(EventJson.bytes(envelope)));
        if (!appToken.isEmpty()) {
            request.header(AppApiTokenFilter.HEADER, appToken);
        }
        HttpResponse<String> answer;
        try {
            answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            return new Outcome(Kind.RETRY, path + " unreachable: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(Kind.RETRY, "interrupted");
        }
        int code = answer.statusCode();
        if (code == 404) {
            return new Outcome(Kind.DROP, path + " answered 404");
        }
        if (code / 100 != 2) {
            return new Outcome(Kind.RETRY, path + " answered " + code);
        }
        String status = "SUCCESS";
        try {
            status = EventJson.MAPPER.readTree(answer.body()).path("status").asText("SUCCESS");
        } catch (java.io.IOException e) {
            // a 2xx with an empty or non-JSON body is an ack
        }
        return switch (status) {
            case "SUCCESS", "" -> new Outcome(Kind.SUCCESS, null);
            case "DROP" -> new Outcome(Kind.DROP, path + " answered DROP (the reason is in its log)");
            default -> new Outcome(Kind.RETRY, path + " answered " + status);
        };
    }

    /** What daprd delivers: our event as published, plus its envelope fields. */
    private Map<String, Object> envelope(String event, String topic) {
        Map<String, Object> envelope;
        try {
            envelope = EventJson.MAPPER.readValue(event, new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("the stored message is not a JSON object: " + e.getOriginalMessage(), e);
        }
        if (envelope == null) {
            throw new IllegalArgumentException("the stored message is not a JSON object: null");
        }
        envelope.put("topic", topic);
        envelope.put("pubsubname", "taskpubsub");
        if (!envelope.containsKey("traceid")) {
            // as daprd: an event without a trace of its own gets a new one
            byte[] trace = new byte[24];
            random.nextBytes(trace);
            String hex = HexFormat.of().formatHex(trace);
            String traceparent = "00-" + hex.substring(0, 32) + "-" + hex.substring(32, 48) + "-01";
            envelope.put("traceid", traceparent);
            envelope.put("traceparent", traceparent);
        }
        envelope.putIfAbsent("tracestate", "");
        return envelope;
    }

    private static void delete(Connection c, long seq) throws java.sql.SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM local_messages WHERE seq = ?")) {
            ps.setLong(1, seq);
            ps.executeUpdate();
        }
    }

    private static void deadLetter(Connection c, long seq, String id, String topic, String type, String event,
                                   String reason) throws java.sql.SQLException {
        LOG.warn("dead letter: event {} ({}) on {}: {}", id, type, topic, reason);
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO local_dead_letters (event_id, topic, type, event, reason) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, id);
            ps.setString(2, topic);
            ps.setString(3, type);
            ps.setString(4, event);
            ps.setString(5, reason);
            ps.executeUpdate();
        }
        delete(c, seq);
    }

    private static void retryLater(Connection c, long seq, int attempts, String reason) throws java.sql.SQLException {
        long delayMs = Math.min(200L << Math.min(attempts - 1, 10), 30_000L);
        try (PreparedStatement ps = c.prepareStatement("UPDATE local_messages SET attempts = ?, "
                + "next_attempt_at = now() + make_interval(secs => ?), last_error = ? WHERE seq = ?")) {
            ps.setInt(1, attempts);
            ps.setDouble(2, delayMs / 1000.0);
            ps.setString(3, reason);
            ps.setLong(4, seq);
            ps.executeUpdate();
        }
    }

    @PreDestroy
    void stop() throws InterruptedException {
        running = false;
        if (deliverer != null) {
            deliverer.interrupt();
            deliverer.join(5000);
        }
    }
}
