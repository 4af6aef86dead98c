package com.todo.reminders;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.todo.events.EventJson;
import com.todo.events.TaskSnapshot;
import com.todo.function.EventOutcome;
import com.todo.function.StateStore;
import io.micronaut.context.annotation.Value;
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
 * Applies a task event's effect at most once per version, in version order (architecture D5). The handler first
 * claims the event's version in the task's watermark by compare-and-set (higher versions only), then acts, then
 * marks the claim applied. A stale version, a duplicate or a lost race is a no-op SUCCESS; a live claim of this or
 * an older version is RETRY (one handler acts on a task at a time; the redelivery finds the claim applied); a claim
 * left by a crashed handler is taken over after the lease. So replayed, concurrent or out-of-order events never move
 * a task backwards, and an update older than the delete never revives reminders.
 */
@Singleton
public class TaskWatermarks {

    private static final Logger LOG = LoggerFactory.getLogger(TaskWatermarks.class);
    private static final int ATTEMPTS = 10;

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
     * @param also    a further effect of this version (run after the reminders, before the claim is marked applied;
     *                it must be safe to repeat, e.g. publishing with a name-based id)
     */
    public EventOutcome apply(TaskSnapshot task, boolean deleted, Map<UUID, Instant> desired, String source,
                              Runnable also) {
        String key = key(task.id());
        Map<String, Instant> want = new HashMap<>();
        desired.forEach((id, at) -> want.put(id.toString(), at));
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Optional<StateStore.Entry> entry = store.get(key);
            Watermark current = entry.map(e -> read(e.value())).orElse(null);
            Watermark claim;
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
            if (current != null && current.version() == task.version()) {
                claim = new Watermark(current.version(), false, deleted, Instant.now(), current.before(), want);
            } else {
                Map<String, Instant> before = current == null ? Map.of() : current.possiblyScheduled();
                claim = new Watermark(task.version(), false, deleted, Instant.now(), before, want);
            }
            byte[] claimed = write(claim);
            if (!store.save(key, claimed, entry.map(StateStore.Entry::etag).orElse(null))) {
                continue; // lost the race: read again and decide again
            }
            // Dapr's save returns no ETag, so it is read back; only if the value is still ours is the ETag ours too
            // (a newer version may have claimed over us in between, and must win). Compared as a watermark, not as
            // bytes: daprd stores a JSON value re-serialised (keys sorted).
            Optional<StateStore.Entry> mine = store.get(key).filter(e -> claim.equals(read(e.value())));
            if (mine.isEmpty()) {
                continue;
            }
            String claimEtag = mine.get().etag();
            try {
                act(task, claim, source);
                also.run();
            } catch (RuntimeException e) {
                release(key, claim, claimEtag);
                throw e;
            }
            Watermark applied = new Watermark(claim.version(), true, deleted, claim.claimedAt(), Map.of(), want);
            if (!store.save(key, write(applied), claimEtag)) {
                LOG.warn("watermark {} v{} changed while acting; its next handler reconciles", key, claim.version());
            }
            return EventOutcome.SUCCESS;
        }
        return EventOutcome.RETRY;
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

    /** After a failure, free the claim at once so the redelivery need not wait for the lease. */
    private void release(String key, Watermark claim, String etag) {
        try {
            store.save(key, write(new Watermark(claim.version(), false, claim.deleted(), Instant.EPOCH, claim.before(),
                    claim.desired())), etag);
        } catch (RuntimeException e) {
            LOG.debug("could not release {}: {}", key, e.toString());
        }
    }

    static Watermark read(byte[] value) {
        try {
            return EventJson.MAPPER.readValue(value, Watermark.class);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable watermark: " + e.getMessage(), e);
        }
    }

    static byte[] write(Watermark watermark) {
        try {
            return EventJson.MAPPER.writeValueAsBytes(watermark);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
