package com.todo.reminders;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The one watermark per task (architecture D5), kept in the state store under {@code task-<id>}: the last claimed
 * version and the reminders its handler scheduled. While a claim is not yet applied, {@code before} is what may
 * still be scheduled from earlier versions, so a handler that takes over a crashed claim can finish the job.
 *
 * @param deleted   a tombstone: the task was deleted at {@code version}
 * @param claimedAt when the claim was taken (a claim older than the lease may be taken over)
 * @param before    reminder id → remind time possibly scheduled before this version (null time: unknown)
 * @param desired   reminder id → remind time this version schedules
 */
public record Watermark(long version, boolean applied, boolean deleted, Instant claimedAt,
                        Map<String, Instant> before, Map<String, Instant> desired) {

    /**
     * What may be scheduled now. Of a claim not applied, only what its version left alone is known; whatever it meant to
     * cancel or schedule may or may not have happened (null time: unknown), so a takeover cancels or schedules it again.
     */
    Map<String, Instant> possiblyScheduled() {
        if (applied) {
            return desired;
        }
        Map<String, Instant> union = new HashMap<>();
        before.forEach((id, at) -> union.put(id, at != null && at.equals(desired.get(id)) ? at : null));
        desired.keySet().forEach(id -> union.putIfAbsent(id, null));
        return union;
    }
}
