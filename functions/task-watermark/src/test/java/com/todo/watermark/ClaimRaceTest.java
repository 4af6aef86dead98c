package com.todo.watermark;

import com.todo.events.TaskSnapshot;
import com.todo.function.EventOutcome;
import com.todo.function.SchedulesClient;
import com.todo.function.StateStore;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The window between a claim's save and the handler reading its ETag back: a newer version that claims right
 * there must win. The stale handler must neither act (its reminders would revive) nor mark its claim applied over
 * the newer one (the task would move backwards).
 */
class ClaimRaceTest {

    /** An in-memory store with first-write semantics that lets a competitor write right after one chosen save. */
    private static final class RacingStore implements StateStore {
        private final Map<String, Entry> entries = new HashMap<>();
        private Runnable afterNextSave;

        @Override
        public synchronized Optional<Entry> get(String key) {
            return Optional.ofNullable(entries.get(key));
        }

        @Override
        public boolean save(String key, byte[] value, String etag) {
            synchronized (this) {
                Entry current = entries.get(key);
                if (etag == null ? current != null : current == null || !current.etag().equals(etag)) {
                    return false;
                }
                entries.put(key, new Entry(value, UUID.randomUUID().toString()));
            }
            Runnable competitor = afterNextSave;
            afterNextSave = null;
            if (competitor != null) {
                competitor.run();
            }
            return true;
        }
    }

    @Test
    void aNewerClaimBetweenSaveAndReadBackWins() throws IOException {
        RacingStore store = new RacingStore();
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        // the gateway is unreachable: a handler that tried to act would fail
        TaskWatermarks watermarks = new TaskWatermarks(store, new ReminderJobs(
                new SchedulesClient("http://localhost:" + closed, "", Duration.ofSeconds(1))), Duration.ofSeconds(15));
        TaskSnapshot stale = TaskFunctionTest.task(3);
        String key = TaskWatermarks.key(stale.id());
        Watermark newer = new Watermark(5, true, true, Instant.now(), Map.of(), Map.of());
        store.afterNextSave = () -> {
            StateStore.Entry ours = store.get(key).orElseThrow();
            assertTrue(store.save(key, TaskWatermarks.write(newer), ours.etag()), "the competitor claims over ours");
        };

        assertEquals(EventOutcome.SUCCESS, watermarks.apply(stale, false, TaskReminders.futureReminders(stale),
                "/task-updated", () -> { throw new AssertionError("the stale version must not act"); }));

        Watermark stored = TaskWatermarks.read(store.get(key).orElseThrow().value());
        assertEquals(5, stored.version());
        assertTrue(stored.deleted(), "the newer (deleted) watermark stays");
    }
}
