package com.todo.domain;

import com.todo.embedded.EmbeddedDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The queue both the outbox relay and local delivery are built on, on a table of its own in a real PostgreSQL. */
class DurableQueueTest {

    private static final DurableQueue.Backoff BACKOFF = new DurableQueue.Backoff(Duration.ofSeconds(1),
            Duration.ofSeconds(8));
    private static final DurableQueue<String> KEEPING = DurableQueue.keepingDone("queue_test", "k", "k, body",
            "done_at", rs -> rs.getString(3) + ":" + rs.getString(4), BACKOFF);
    private static final DurableQueue<String> DELETING = DurableQueue.deletingDone("queue_test", "k", "k, body",
            rs -> rs.getString(3) + ":" + rs.getString(4), BACKOFF);

    private static String url;

    @BeforeAll
    static void database() {
        url = EmbeddedDatabase.shared().newDatabase();
    }

    @BeforeEach
    void table() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS queue_test");
            s.execute("CREATE TABLE queue_test (seq bigserial PRIMARY KEY, k text NOT NULL, body text NOT NULL, "
                    + "attempts int NOT NULL DEFAULT 0, next_attempt_at timestamptz NOT NULL DEFAULT now(), "
                    + "last_error text, done_at timestamptz)");
            s.execute("INSERT INTO queue_test (k, body) VALUES ('a', '1'), ('b', '1'), ('a', '2'), ('c', '1'), "
                    + "('b', '2')");
        }
    }

    @Test
    void onlyTheOldestRowOfEachKeyIsClaimedOldestFirst() throws SQLException {
        try (Connection c = transaction()) {
            assertEquals(List.of("a:1", "b:1", "c:1"), rows(KEEPING.claimHeads(c, 10, false)));
            assertEquals(List.of("a:1", "b:1"), rows(KEEPING.claimHeads(c, 2, false)));
        }
    }

    @Test
    void aKeyWhoseHeadAnotherWorkerHoldsIsSkippedAsAWhole() throws SQLException {
        try (Connection first = transaction(); Connection second = transaction()) {
            assertEquals(List.of("a:1"), rows(KEEPING.claimHeads(first, 1, false)));
            // a:2 is not a head while a:1 is pending, however long the first worker holds it
            assertEquals(List.of("b:1", "c:1"), rows(KEEPING.claimHeads(second, 10, false)));
        }
    }

    @Test
    void aDoneRowIsMarkedAndKeptAndTheNextRowOfItsKeyBecomesItsHead() throws SQLException {
        try (Connection c = transaction()) {
            DurableQueue.Claimed<String> head = KEEPING.claimHeads(c, 1, false).get(0);
            KEEPING.done(c, head);
            assertEquals(List.of("b:1", "a:2", "c:1"), rows(KEEPING.claimHeads(c, 10, false)));
            assertEquals(5, count(c, "true"));
            assertEquals(1, count(c, "done_at IS NOT NULL AND attempts = 1 AND seq = " + head.seq()));
        }
    }

    @Test
    void aDeletingQueueDeletesWhatIsDone() throws SQLException {
        try (Connection c = transaction()) {
            DELETING.done(c, DELETING.claimHeads(c, 1, false).get(0));
            assertEquals(List.of("b:1", "a:2", "c:1"), rows(DELETING.claimHeads(c, 10, false)));
            assertEquals(4, count(c, "true"));
        }
    }

    @Test
    void aFailedRowBacksOffExponentiallyAndHoldsItsKeyUntilThenUnlessBackoffIsIgnored() throws SQLException {
        try (Connection c = transaction()) {
            DurableQueue.Claimed<String> head = KEEPING.claimHeads(c, 1, false).get(0);
            assertEquals(Duration.ofSeconds(1), KEEPING.retryLater(c, head, "broker down"));
            assertEquals(List.of("b:1", "c:1"), rows(KEEPING.claimHeads(c, 10, false)));
            assertEquals(1, count(c, "attempts = 1 AND last_error = 'broker down' AND next_attempt_at > now()"));

            DurableQueue.Claimed<String> again = KEEPING.claimHeads(c, 10, true).get(0);
            assertEquals("a:1", again.row());
            assertEquals(1, again.attempts());
            assertEquals(Duration.ofSeconds(2), KEEPING.retryLater(c, again, "still down"));
        }
        assertEquals(Duration.ofSeconds(8), BACKOFF.after(4));
        assertEquals(Duration.ofSeconds(8), BACKOFF.after(40));
    }

    @Test
    void aRemovedRowLeavesTheQueueWithoutBeingDone() throws SQLException {
        try (Connection c = transaction()) {
            KEEPING.remove(c, KEEPING.claimHeads(c, 1, false).get(0));
            assertEquals(4, count(c, "true"));
            assertEquals(0, count(c, "done_at IS NOT NULL"));
            assertEquals(List.of("b:1", "a:2", "c:1"), rows(KEEPING.claimHeads(c, 10, false)));
        }
    }

    @Test
    void anEmptyQueueClaimsNothing() throws SQLException {
        try (Connection c = transaction(); Statement s = c.createStatement()) {
            s.execute("UPDATE queue_test SET done_at = now()");
            assertTrue(KEEPING.claimHeads(c, 10, false).isEmpty());
        }
    }

    private static List<String> rows(List<DurableQueue.Claimed<String>> claimed) {
        return claimed.stream().map(DurableQueue.Claimed::row).toList();
    }

    private static long count(Connection c, String where) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT count(*) FROM queue_test WHERE " + where)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Connection transaction() throws SQLException {
        Connection c = connect();
        c.setAutoCommit(false);
        return c;
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(url, EmbeddedDatabase.USER, "");
    }
}
