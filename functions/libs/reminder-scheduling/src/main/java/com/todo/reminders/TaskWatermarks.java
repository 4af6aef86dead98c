package com.todo.reminders;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.todo.events.EventJson;
import com.todo.events.TaskSnapshot;
import com.todo.function.EventOutcome;
import com.todo.function.StateStore;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Applies a task event's effect at most once per version, in version order (architecture D5). The handler reads the
 * task's watermark, claims the event's version by compare-and-set (higher versions only), acts, and marks the claim
 * applied. A stale version, a duplicate or a lost race is a no-op SUCCESS; a live claim of this or an older version is
 * RETRY (one handler acts on a task at a time; the redelivery finds the claim applied); a claim left by a crashed
 * handler is taken over after the lease. So replayed, concurrent or out-of-order events never move a task backwards,
 * and an update older than the delete never revives reminders.
 *
 * <p>Three state calls at most on the usual path, two or one where they suffice: a task's first version claims
 * without reading (nothing is there yet; a replay finds the key taken and reads it), and a version with nothing to
 * do is marked applied with the compare-and-set itself. Marking applied needs no ETag while the claim is live: every
 * other handler that finds a live claim backs off, so nobody else writes the key until the lease has run out.
 */
@Singleton
public class TaskWatermarks {

    private static final Logger LOG = LoggerFactory.getLogger(TaskWatermarks.class);
    private static final int ATTEMPTS = 10;
    /**
     * A watermark's maps are keyed by reminder ids, names no parse has seen before: with Jackson's canonicalized
     * field names each read added them to the parser's symbol table, copying the table first (most of a warm
     * event's allocation; docs/benchmarks.md, "Same-run comparisons").
     */
    private static final ObjectReader WATERMARK_READER = EventJson.MAPPER.readerFor(Watermark.class)
            .with(JsonFactory.builder().disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES).build());

    private final StateStore store;
    private final ReminderJobs reminders;
    private final Duration lease;

    public TaskWatermarks(StateStore store, ReminderJobs reminders,
                          @Value("${todo.watermark.lease:15s}") Duration lease) {
        this.store = store;
        this.reminders = reminders;
        this.lease = lease;
    }

    public static String key(UUID taskId) {
        return "task-" + taskId;
    }

    /**
     * @param desired reminder id → remind time that should be scheduled once this version is applied
     * @param also    a further effect of this version, or null (run after the reminders, before the claim is marked
     *                applied; it must be safe to repeat, e.g. publishing with a name-based id)
     */
    public EventOutcome apply(TaskSnapshot task, boolean deleted, Map<UUID, Instant> desired, String source,
                              @Nullable Runnable also) {
        String key = key(task.id());
        Map<String, Instant> want = new HashMap<>();
        desired.forEach((id, at) -> want.put(id.toString(), at));
        boolean firstVersion = task.version() == 1;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Optional<StateStore.Entry> entry = firstVersion && attempt == 0 ? Optional.empty() : store.get(key);
            Watermark current = entry.map(e -> read(e.value())).orElse(null);
            String etag = entry.map(StateStore.Entry::etag).orElse(null);
            if (current != null && current.version() > task.version()) {
                return EventOutcome.SUCCESS; // stale: a later version (or the delete) is already in
            }
            if (current != null && current.version() == task.version() && current.applied()) {
                return EventOutcome.SUCCESS; // duplicate
            }
            if (current != null && !current.applied() && current.claimedAt().plus(lease).isAfter(Instant.now())) {
                // another delivery of this or an older version is acting right now: acting alongside it would let
                // its schedule calls land after ours and leave its reminders in place of this version's
                return EventOutcome.RETRY;
            }
            Map<String, Instant> before = current == null ? Map.of()
                    : current.version() == task.version() ? current.before() : current.possiblyScheduled();
            Watermark claim = new Watermark(task.version(), false, deleted, Instant.now(), before, want);
            Watermark applied = new Watermark(task.version(), true, deleted, claim.claimedAt(), Map.of(), want);
            if (also == null && nothingToDo(claim)) {
                if (store.save(key, write(applied), etag)) {
                    return EventOutcome.SUCCESS;
                }
                continue; // lost the race: read again and decide again
            }
            if (!store.save(key, write(claim), etag)) {
                continue;
            }
            try {
                act(task, claim, source);
                if (also != null) {
                    also.run();
                }
            } catch (RuntimeException e) {
                release(key, claim);
                throw e;
            }
            markApplied(key, claim, applied);
            return EventOutcome.SUCCESS;
        }
        return EventOutcome.RETRY;
    }

    /** True when {@link #act} would make no call: every reminder is already where this version wants it. */
    private static boolean nothingToDo(Watermark claim) {
        return claim.before().equals(claim.desired());
    }

    /** Cancels what this version no longer wants; schedules what is new or moved (schedules overwrite by name). */
    private void act(TaskSnapshot task, Watermark claim, String source) {
        for (Map.Entry<String, Instant> old : claim.before().entrySet()) {
            if (!claim.desired().containsKey(old.getKey())) {
                reminders.cancel(old.getKey());
            }
        }
        for (Map.Entry<String, Instant> want : claim.desired().entrySet()) {
            if (!Objects.equals(claim.before().get(want.getKey()), want.getValue())) {
                reminders.schedule(task, UUID.fromString(want.getKey()), want.getValue(), source);
            }
        }
    }

    /**
     * While the claim is well inside its lease nobody else writes the key, so the claim is overwritten without an
     * ETag (daprd's save returns none; reading it back would be a fourth call). Late in the lease a takeover may have
     * begun, so then the key is read and written only if it still holds this claim.
     */
    private void markApplied(String key, Watermark claim, Watermark applied) {
        if (insideLease(claim)) {
            store.put(key, write(applied));
            return;
        }
        Optional<StateStore.Entry> now = store.get(key).filter(e -> claim.equals(read(e.value())));
        if (now.isEmpty() || !store.save(key, write(applied), now.get().etag())) {
            LOG.warn("watermark {} v{} changed while acting; its next handler reconciles", key, claim.version());
        }
    }

    /** After a failure, free the claim at once so the redelivery need not wait for the lease. */
    private void release(String key, Watermark claim) {
        if (!insideLease(claim)) {
            return; // a takeover may hold the key by now; the lease frees it anyway
        }
        try {
            store.put(key, write(new Watermark(claim.version(), false, claim.deleted(), Instant.EPOCH, claim.before(),
                    claim.desired())));
        } catch (RuntimeException e) {
            LOG.debug("could not release {}: {}", key, e.toString());
        }
    }

    /** Half the lease is the margin for a slow call and for clocks that differ between pods. */
    private boolean insideLease(Watermark claim) {
        return claim.claimedAt().plus(lease.dividedBy(2)).isAfter(Instant.now());
    }

    public static Watermark read(byte[] value) {
        try {
            return WATERMARK_READER.readValue(value);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable watermark: " + e.getMessage(), e);
        }
    }

    public static byte[] write(Watermark watermark) {
        try {
            return EventJson.MAPPER.writeValueAsBytes(watermark);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
