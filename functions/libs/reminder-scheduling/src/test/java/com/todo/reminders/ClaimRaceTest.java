package com.todo.reminders;

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
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Races on the claim. The window between a claim's save and the handler reading its ETag back: a newer version that
 * claims right there must win; the stale handler must neither act (its reminders would revive) nor mark its claim
 * applied over the newer one (the task would move backwards). And a newer version arriving while an older one acts
 * must wait for it: acting alongside, the older one's schedule calls could land last.
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

    private final RacingStore store = new RacingStore();

    /** Watermarks on {@code store} whose gateway is unreachable: a handler that tried to schedule would fail. */
    private static TaskWatermarks watermarks(StateStore store) throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        return new TaskWatermarks(store, new ReminderJobs(
                new SchedulesClient("http://localhost:" + closed, "", Duration.ofSeconds(1))), Duration.ofSeconds(15));
    }

    @Test
    void aNewerVersionRetriesWhileAnOlderOneActs() throws IOException {
        TaskSnapshot newer = TaskFunctionTest.task(5);
        String key = TaskWatermarks.key(newer.id());
        byte[] acting = TaskWatermarks.write(new Watermark(3, false, false, Instant.now(), Map.of(), Map.of()));
        assertTrue(store.save(key, acting, null));

        assertEquals(EventOutcome.RETRY, watermarks(store).apply(newer, true, Map.of(), "/task-deleted",
                () -> { throw new AssertionError("must not act alongside version 3"); }));
        assertArrayEquals(acting, store.get(key).orElseThrow().value(), "version 3's claim is untouched");
    }

    @Test
    void aNewerVersionTakesOverAnOlderClaimPastItsLease() throws IOException {
        TaskSnapshot newer = TaskFunctionTest.task(5);
        String key = TaskWatermarks.key(newer.id());
        Instant crashed = Instant.now().minusSeconds(16);
        assertTrue(store.save(key, TaskWatermarks.write(new Watermark(3, false, false, crashed, Map.of(), Map.of())),
                null));
        AtomicBoolean acted = new AtomicBoolean();

        assertEquals(EventOutcome.SUCCESS, watermarks(store).apply(newer, true, Map.of(), "/task-deleted",
                () -> acted.set(true)));
        assertTrue(acted.get());
        Watermark stored = TaskWatermarks.read(store.get(key).orElseThrow().value());
        assertEquals(5, stored.version());
        assertTrue(stored.applied() && stored.deleted());
    }

    @Test
    void aNewerClaimBetweenSaveAndReadBackWins() throws IOException {
        TaskWatermarks watermarks = watermarks(store);
        TaskSnapshot stale = TaskFunctionTest.task(3);
        String key = TaskWatermarks.key(stale.id());
        Watermark newer = new Watermark(5, true, true, Instant.now(), Map.of(), Map.of());
        store.afterNextSave = () -> {
            StateStore.Entry ours = store.get(key).orElseThrow();
            assertTrue(store.save(key, TaskWatermarks.write(newer), ours.etag()), "the competitor claims over ours");
        };

        assertEquals(EventOutcome.SUCCESS, watermarks.apply(stale, false, TaskReminders.remindersThatFire(stale),
                "/task-updated", () -> { throw new AssertionError("the stale version must not act"); }));

        Watermark stored = TaskWatermarks.read(store.get(key).orElseThrow().value());
        assertEquals(5, stored.version());
        assertTrue(stored.deleted(), "the newer (deleted) watermark stays");
    }
}
