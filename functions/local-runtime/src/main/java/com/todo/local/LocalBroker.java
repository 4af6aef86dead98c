package com.todo.local;

import com.fasterxml.jackson.core.type.TypeReference;
import com.todo.events.CrashPoints;
import com.todo.events.EventJson;
import com.todo.events.EventPublisher;
import com.todo.function.AppApiTokenFilter;
import com.todo.domain.DurableQueue;
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
import java.sql.SQLException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Local mode's pub/sub, standing in for daprd and Kafka (architecture D8): published events are kept in PostgreSQL
 * (in the publisher's transaction, when it has one) and delivered to the routes of the cluster's own Subscription
 * files, per partition key in order (a {@link DurableQueue}), with daprd's answer contract: SUCCESS acks; DROP, a 404 or
 * no matching route dead-letter the message; anything else is retried with backoff, and after
 * {@code todo.local.max-attempts} is dead-lettered too. A dead letter goes to its Subscription's dead-letter topic
 * (delivered like any message, to the gateway and the dead-letter inbox), or without one to the local record.
 */
@Singleton
@Requires(property = "todo.events.publisher", value = "local")
public class LocalBroker implements EventPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(LocalBroker.class);
    /** Per partition key in order, as Kafka delivers a partition; a delivered message is deleted. */
    private static final DurableQueue<Message> QUEUE = DurableQueue.deletingDone("local_messages", "partition_key",
            "event_id, topic, type, event",
            rs -> new Message(rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6)),
            new DurableQueue.Backoff(Duration.ofMillis(200), Duration.ofSeconds(30)));

    private record Message(String id, String topic, String type, String event) {
    }

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
            List<DurableQueue.Claimed<Message>> claimed = QUEUE.claimHeads(c, 1, false);
            if (claimed.isEmpty()) {
                return false;
            }
            DurableQueue.Claimed<Message> head = claimed.get(0);
            Message message = head.row();
            if (!subscriptions.subscribed(message.topic())) {
                QUEUE.done(c, head); // nobody subscribes (notification-events): acked, as a broker without consumers
                return true;
            }
            Map<String, Object> envelope;
            try {
                envelope = envelope(message.event(), message.topic());
            } catch (IllegalArgumentException unreadable) {
                // it would fail the same way on every attempt, and hold up its partition key: dead-lettered at once
                deadLetter(c, head, unreadable.getMessage());
                return true;
            }
            Optional<String> route;
            try {
                route = subscriptions.route(message.topic(), envelope);
            } catch (RuntimeException e) {
                // a rule that cannot be evaluated on this message: backed off like a failed delivery, not spun on
                retryOrDeadLetter(c, head, "routing failed: " + e);
                return true;
            }
            if (route.isEmpty()) {
                deadLetter(c, head, "no subscription rule matched and there is no default route");
                return true;
            }
            Outcome outcome = post(route.get(), envelope);
            if (outcome.kind() == Kind.SUCCESS) {
                CrashPoints.reached("handled-before-ack");
            }
            switch (outcome.kind()) {
                case SUCCESS -> QUEUE.done(c, head);
                case DROP -> deadLetter(c, head, outcome.reason());
                case RETRY -> retryOrDeadLetter(c, head, outcome.reason());
            }
            return true;
        });
    }

    private void retryOrDeadLetter(Connection c, DurableQueue.Claimed<Message> head, String reason)
            throws SQLException {
        if (head.attempts() + 1 >= maxAttempts) {
            deadLetter(c, head, "retries exhausted: " + reason);
        } else {
            QUEUE.retryLater(c, head, reason);
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

    /**
     * As daprd: to the topic's dead-letter topic, when its Subscription names one (and from there to the gateway and
     * the dead-letter inbox); else to the local dead-letter record, with the reason.
     */
    private void deadLetter(Connection c, DurableQueue.Claimed<Message> head, String reason) throws SQLException {
        Message m = head.row();
        LOG.warn("dead letter: event {} ({}) on {}: {}", m.id(), m.type(), m.topic(), reason);
        Optional<String> deadLetterTopic = subscriptions.deadLetterTopic(m.topic());
        if (deadLetterTopic.isPresent()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO local_messages (event_id, topic, "
                    + "partition_key, type, event) SELECT event_id, ?, partition_key, type, event FROM local_messages "
                    + "WHERE seq = ?")) {
                ps.setString(1, deadLetterTopic.get());
                ps.setLong(2, head.seq());
                ps.executeUpdate();
            }
        } else {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO local_dead_letters (event_id, topic, type, event, reason) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, m.id());
                ps.setString(2, m.topic());
                ps.setString(3, m.type());
                ps.setString(4, m.event());
                ps.setString(5, reason);
                ps.executeUpdate();
            }
        }
        QUEUE.remove(c, head);
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
