package com.todo.gateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What an operator alerts on (docs/operations.md), measured where every event passes and which never scales to zero:
 * events by function and outcome, dead letters by topic, the outbox backlog the minute flush reports, and how late
 * scheduled events (reminders) fire.
 */
@Singleton
public class GatewayMetrics {

    private final MeterRegistry meters;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final AtomicLong outboxPending = new AtomicLong();
    private final AtomicLong outboxOldestPending = new AtomicLong();

    public GatewayMetrics(MeterRegistry meters) {
        this.meters = meters;
        Gauge.builder("todo.outbox.backlog", outboxPending, AtomicLong::get)
                .description("Outbox rows not yet published, as the last minute flush reported").register(meters);
        Gauge.builder("todo.outbox.backlog.oldest.seconds", outboxOldestPending, AtomicLong::get)
                .description("Age of the oldest outbox row not yet published, as the last minute flush reported")
                .register(meters);
    }

    /** One forwarded event and what daprd was told: SUCCESS, DROP or RETRY. */
    void event(String function, String outcome) {
        counters.computeIfAbsent("events|" + function + "|" + outcome, k -> Counter.builder("todo.events")
                .description("Events the gateway forwarded, by function and the outcome daprd was given")
                .tag("function", function).tag("outcome", outcome).register(meters)).increment();
    }

    /** One dead letter forwarded to the inbox, by the topic it was dead-lettered from. */
    void deadLetter(String topic) {
        counters.computeIfAbsent("dead|" + topic, k -> Counter.builder("todo.dead.letters")
                .description("Dead letters delivered to the inbox, by the topic they were dead-lettered from")
                .tag("topic", topic).register(meters)).increment();
    }

    /** What a database function's outbox flush left (the outbox is one table: any function's answer is the whole). */
    void outboxBacklog(long rows, long oldestSeconds) {
        outboxPending.set(rows);
        outboxOldestPending.set(oldestSeconds);
    }

    /** How long after its due time a scheduled event was published. */
    void scheduleLateness(String type, Duration late) {
        timers.computeIfAbsent(type, t -> Timer.builder("todo.schedule.lateness")
                .description("From a schedule's due time to the gateway publishing its event (reminders)")
                .tag("type", t).publishPercentileHistogram().register(meters))
                .record(late.isNegative() ? Duration.ZERO : late);
    }
}
