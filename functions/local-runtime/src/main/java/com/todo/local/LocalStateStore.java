package com.todo.local;

import com.todo.function.StateStore;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;
import java.util.UUID;

/**
 * Local mode's state store, with Dapr's first-write semantics: insert-if-absent without an ETag, else ETag match;
 * {@link #put} is Dapr's last-write.
 */
@Singleton
@Requires(property = "todo.state.store", value = "local")
public class LocalStateStore implements StateStore {

    private final TransactionOperations<Connection> tx;

    public LocalStateStore(TransactionOperations<Connection> tx) {
        this.tx = tx;
    }

    @Override
    public Optional<Entry> get(String key) {
        return tx.executeRead(status -> {
            try (PreparedStatement ps = status.getConnection().prepareStatement(
                    "SELECT value, etag FROM local_state WHERE key = ?")) {
                ps.setString(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new Entry(rs.getBytes(1), rs.getString(2))) : Optional.<Entry>empty();
                }
            }
        });
    }

    @Override
    public boolean save(String key, byte[] value, @Nullable String etag) {
        return tx.executeWrite(status -> {
            String sql = etag == null
                    ? "INSERT INTO local_state (value, etag, key) VALUES (?, ?, ?) ON CONFLICT DO NOTHING"
                    : "UPDATE local_state SET value = ?, etag = ? WHERE key = ? AND etag = ?";
            try (PreparedStatement ps = status.getConnection().prepareStatement(sql)) {
                ps.setBytes(1, value);
                ps.setString(2, UUID.randomUUID().toString());
                ps.setString(3, key);
                if (etag != null) {
                    ps.setString(4, etag);
                }
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public void put(String key, byte[] value) {
        tx.executeWrite(status -> {
            try (PreparedStatement ps = status.getConnection().prepareStatement(
                    "INSERT INTO local_state (key, value, etag) VALUES (?, ?, ?) "
                            + "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, etag = EXCLUDED.etag")) {
                ps.setString(1, key);
                ps.setBytes(2, value);
                ps.setString(3, UUID.randomUUID().toString());
                return ps.executeUpdate();
            }
        });
    }
}
