package com.todo.function;

import io.micronaut.core.annotation.Nullable;

import java.util.Optional;

/**
 * A key-value store with optimistic concurrency: Dapr's state store in the cluster (state.postgresql v2), the local
 * state store in local mode. Semantics are Dapr's first-write concurrency.
 */
public interface StateStore {

    /** A stored value and the ETag that a conditional save must present. */
    record Entry(byte[] value, String etag) {
    }

    Optional<Entry> get(String key);

    /**
     * Saves only if the key is unchanged: with {@code etag} null, only if the key is absent; otherwise only if its
     * ETag still matches.
     *
     * @return false when another writer got there first (the caller re-reads and decides again)
     * @throws UnavailableException when the store cannot be reached
     */
    boolean save(String key, byte[] value, @Nullable String etag);

    /**
     * Saves whatever the key holds now (last-write). Only for a writer that knows nobody else writes the key.
     *
     * @throws UnavailableException when the store cannot be reached
     */
    void put(String key, byte[] value);

    class UnavailableException extends RuntimeException {
        public UnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
