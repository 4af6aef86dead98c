package com.todo.dapr;

import com.todo.function.StateStore;
import io.dapr.client.DaprClient;
import io.dapr.client.domain.State;
import io.dapr.client.domain.StateOptions;
import io.dapr.exceptions.DaprException;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Optional;

/**
 * The Dapr state store ({@code taskstate}: state.postgresql v2, {@code keyPrefix: none}) with first-write
 * concurrency. daprd reports a lost insert-if-absent as a generic error and an ETag mismatch as ABORTED
 * (platform contracts §5), so after any failed save the key is read again: if it changed, another writer won
 * (false); if not, the store is unavailable.
 */
@Singleton
@Requires(property = "todo.state.store", value = "dapr", defaultValue = "dapr")
public class DaprStateStore implements StateStore {

    private static final StateOptions FIRST_WRITE = new StateOptions(StateOptions.Consistency.STRONG,
            StateOptions.Concurrency.FIRST_WRITE);
    private static final StateOptions LAST_WRITE = new StateOptions(StateOptions.Consistency.STRONG,
            StateOptions.Concurrency.LAST_WRITE);

    private final DaprClient client;
    private final String store;
    private final Duration timeout;

    public DaprStateStore(DaprClient client, @Value("${todo.state.name:taskstate}") String store,
                          @Value("${todo.dapr.timeout:5s}") Duration timeout) {
        this.client = client;
        this.store = store;
        this.timeout = timeout;
    }

    @Override
    public Optional<Entry> get(String key) {
        State<byte[]> state;
        try {
            state = client.getState(store, key, byte[].class).block(timeout);
        } catch (DaprException | IllegalStateException e) {
            throw new UnavailableException("state store " + store + " unavailable reading " + key + ": " + e.getMessage(), e);
        }
        if (state == null || state.getValue() == null || state.getValue().length == 0) {
            return Optional.empty();
        }
        return Optional.of(new Entry(state.getValue(), state.getEtag()));
    }

    @Override
    public boolean save(String key, byte[] value, @Nullable String etag) {
        try {
            client.saveState(store, key, etag, value, FIRST_WRITE).block(timeout);
            return true;
        } catch (DaprException | IllegalStateException e) {
            Optional<Entry> now = get(key);
            boolean changed = etag == null ? now.isPresent() : now.map(Entry::etag).filter(etag::equals).isEmpty();
            if (changed) {
                return false;
            }
            throw new UnavailableException("state store " + store + " unavailable writing " + key + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void put(String key, byte[] value) {
        try {
            client.saveState(store, key, null, value, LAST_WRITE).block(timeout);
        } catch (DaprException | IllegalStateException e) {
            throw new UnavailableException("state store " + store + " unavailable writing " + key + ": " + e.getMessage(), e);
        }
    }
}
