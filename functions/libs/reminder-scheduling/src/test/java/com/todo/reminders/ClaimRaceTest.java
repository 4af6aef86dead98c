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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Races on the claim. A newer version arriving while an older one acts must wait for it: acting alongside, the older
 * one's schedule calls could land last. A claim past its lease is taken over, and the handler that held it, if it is
 * only slow, must not then mark its claim applied over the takeover (the task would move backwards).
 */
class ClaimRaceTest {

    /** An in-memory store with Dapr's first-write and last-write semantics. */
    private static final class RacingStore implements StateStore {
        private final Map<String, Entry> entries = new HashMap<>();

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
            return true;
        }

        @Override
        public synchronized void put(String key, byte[] value) {
            entries.put(key, new Entry(value, UUID.randomUUID().toString()));
        }
    }

    private final RacingStore store = new RacingStore();

    /** Watermarks on {@code store} whose gateway is unreachable: a handler that tried to schedule would fail. */
    private static TaskWatermarks watermarks(StateStore store) throws IOException {
        return watermarks(store, Duration.ofSeconds(15));
    }

    private static TaskWatermarks watermarks(StateStore store, Duration lease) throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        return new TaskWatermarks(store, new ReminderJobs(
                new SchedulesClient("http://localhost:" + closed, "", Duration.ofSeconds(1))), lease);
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
    void aHandlerStillActingWhenItsLeaseRunsOutNeverOverwritesTheTakeover() throws IOException {
        TaskSnapshot slow = TaskFunctionTest.task(3);
        String key = TaskWatermarks.key(slow.id());
        Watermark takeover = new Watermark(5, true, true, Instant.now(), Map.of(), Map.of());
        Duration lease = Duration.ofMillis(400);
        assertTrue(store.save(key, TaskWatermarks.write(new Watermark(2, true, false, Instant.now(), Map.of(), Map.of())),
                null));

        // past half its lease the handler cannot know whether a takeover began: it must write only over its own claim
        assertEquals(EventOutcome.SUCCESS, watermarks(store, lease).apply(slow, true, Map.of(), "/task-deleted", () -> {
            sleep(lease.dividedBy(2).plusMillis(50));
            StateStore.Entry claim = store.get(key).orElseThrow();
            assertTrue(store.save(key, TaskWatermarks.write(takeover), claim.etag()), "the takeover claims over it");
        }));

        Watermark stored = TaskWatermarks.read(store.get(key).orElseThrow().value());
        assertEquals(5, stored.version(), "the slow handler's version 3 did not overwrite version 5");
        assertTrue(stored.deleted());
    }

    @Test
    void aHandlerThatFailsReleasesItsClaimSoTheRedeliveryNeedNotWaitForTheLease() throws IOException {
        TaskSnapshot task = TaskFunctionTest.task(2);
        String key = TaskWatermarks.key(task.id());
        TaskWatermarks watermarks = watermarks(store);
        assertThrows(IllegalStateException.class, () -> watermarks.apply(task, true, Map.of(), "/task-deleted",
                () -> { throw new IllegalStateException("publish failed"); }));
        Watermark released = TaskWatermarks.read(store.get(key).orElseThrow().value());
        assertEquals(Instant.EPOCH, released.claimedAt());

        AtomicBoolean acted = new AtomicBoolean();
        assertEquals(EventOutcome.SUCCESS, watermarks.apply(task, true, Map.of(), "/task-deleted", () -> acted.set(true)));
        assertTrue(acted.get(), "the redelivery acts at once");
        assertTrue(TaskWatermarks.read(store.get(key).orElseThrow().value()).applied());
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
