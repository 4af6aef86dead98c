package com.todo.domain;

import com.todo.events.EventJson;
import io.micronaut.context.annotation.Value;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The answers kept for clients' idempotency keys. A request claims its key inside the transaction of its change:
 * a concurrent retry's claim waits on the key's row until that transaction ends, then finds the stored answer (or,
 * if the first attempt rolled back, claims the key itself). So however many retries run at once, one changes
 * something and all get its answer. A failed request stores nothing: its retry is checked again.
 */
@Singleton
public class IdempotencyKeys {

    /** The window the API documents (task-api.yml, Idempotency-Key); {@code todo.idempotency.window} changes it. */
    public static final String DEFAULT_WINDOW = "PT24H";

    private final JdbcOperations jdbc;
    private final Duration window;

    public IdempotencyKeys(JdbcOperations jdbc, @Value("${todo.idempotency.window:" + DEFAULT_WINDOW + "}") Duration window) {
        this.jdbc = jdbc;
        this.window = window;
    }

    /** SHA-256 of what identifies a request besides its key: method, path and body. */
    public static String fingerprint(String method, String path, byte[] body) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((method + " " + path + "\n").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /**
     * Makes the change once per key: the first request under the key runs {@code change} and stores its answer in the
     * change's transaction; a retry (even one running at the same time) gets that answer and changes nothing.
     *
     * @throws KeyReusedException if the key was used for another request within the window (nothing is changed)
     */
    @Transactional
    public <T> T once(String userId, String key, String fingerprint, Class<T> type, Supplier<T> change) {
        for (int attempt = 0; ; attempt++) {
            if (claimed(userId, key, fingerprint)) {
                T answer = change.get();
                store(userId, key, EventJson.bytes(answer));
                return answer;
            }
            Optional<T> stored = stored(userId, key, fingerprint, type);
            if (stored.isPresent()) {
                return stored.get();
            }
            if (attempt > 0) {
                throw new IllegalStateException("idempotency key neither claimable nor stored");
            }
            // deleted as expired between the two statements: claim it again
        }
    }

    /** A key given again within its window, with another method, path or body than the first time. */
    public static class KeyReusedException extends RuntimeException {
        public KeyReusedException() {
            super("This Idempotency-Key was used for another request: use a new key for a new request");
        }
    }

    private boolean claimed(String userId, String key, String fingerprint) {
        Instant now = Instant.now();
        // a key past its window is taken over in the same statement, so two retries cannot both take it
        return jdbc.prepareStatement("INSERT INTO idempotency_keys (user_id, key, fingerprint, created_at) "
                + "VALUES (?, ?, ?, ?) ON CONFLICT (user_id, key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, "
                + "created_at = EXCLUDED.created_at, body = NULL "
                + "WHERE idempotency_keys.created_at < ?", ps -> {
            ps.setString(1, userId);
            ps.setString(2, key);
            ps.setString(3, fingerprint);
            ps.setTimestamp(4, Timestamp.from(now));
            ps.setTimestamp(5, Timestamp.from(now.minus(window)));
            return ps.executeUpdate() == 1;
        });
    }

    private <T> Optional<T> stored(String userId, String key, String fingerprint, Class<T> type) {
        String body = jdbc.prepareStatement("SELECT fingerprint, body FROM idempotency_keys WHERE user_id = ? AND key = ?",
                ps -> {
                    ps.setString(1, userId);
                    ps.setString(2, key);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            return null;
                        }
                        if (!rs.getString(1).equals(fingerprint)) {
                            throw new KeyReusedException();
                        }
                        return rs.getString(2);
                    }
                });
        try {
            return body == null ? Optional.empty() : Optional.of(EventJson.MAPPER.readValue(body, type));
        } catch (IOException e) {
            throw new IllegalStateException("stored answer unreadable", e);
        }
    }

    private void store(String userId, String key, byte[] body) {
        jdbc.prepareStatement("UPDATE idempotency_keys SET body = ? WHERE user_id = ? AND key = ?", ps -> {
            ps.setString(1, new String(body, StandardCharsets.UTF_8));
            ps.setString(2, userId);
            ps.setString(3, key);
            return ps.executeUpdate();
        });
    }

    /**
     * Deletes up to {@code batch} keys past their window, oldest first; short statements, so no lock is held long.
     *
     * @return how many were deleted
     */
    @Transactional
    public int deleteExpired(int batch) {
        return jdbc.prepareStatement("DELETE FROM idempotency_keys WHERE ctid IN (SELECT ctid FROM idempotency_keys "
                + "WHERE created_at < ? ORDER BY created_at LIMIT ? FOR UPDATE SKIP LOCKED)", ps -> {
            ps.setTimestamp(1, Timestamp.from(Instant.now().minus(window)));
            ps.setInt(2, batch);
            return ps.executeUpdate();
        });
    }
}
