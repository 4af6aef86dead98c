package com.todo.dapr;

import com.google.protobuf.ByteString;
import com.todo.function.StateStore;
import io.dapr.v1.CommonProtos;
import io.dapr.v1.DaprStateProtos;
import io.grpc.StatusRuntimeException;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.util.Optional;

/**
 * The Dapr state store ({@code taskstate}: state.postgresql v2, {@code keyPrefix: none}) with first-write
 * concurrency. daprd reports a lost insert-if-absent as a generic error and an ETag mismatch as ABORTED
 * (platform contracts §5), so after any failed save the key is read again: if it changed, another writer won
 * (false); if not, the store is unavailable. Values are JSON and saved as such (metadata {@code contentType}, as the
 * SDK's {@code saveState} sent it): state.postgresql keeps them as jsonb, not as base64 bytes.
 */
@Singleton
@Requires(property = "todo.state.store", value = "dapr", defaultValue = "dapr")
public class DaprStateStore implements StateStore {

    private static final CommonProtos.StateOptions FIRST_WRITE = options(CommonProtos.StateOptions.StateConcurrency.CONCURRENCY_FIRST_WRITE);
    private static final CommonProtos.StateOptions LAST_WRITE = options(CommonProtos.StateOptions.StateConcurrency.CONCURRENCY_LAST_WRITE);

    private final DaprSidecar sidecar;
    private final String store;

    public DaprStateStore(DaprSidecar sidecar, @Value("${todo.state.name:taskstate}") String store) {
        this.sidecar = sidecar;
        this.store = store;
    }

    @Override
    public Optional<Entry> get(String key) {
        DaprStateProtos.GetStateResponse state;
        try {
            state = sidecar.call().getState(DaprStateProtos.GetStateRequest.newBuilder()
                    .setStoreName(store).setKey(key).build());
        } catch (StatusRuntimeException e) {
            throw unavailable("reading", key, e);
        }
        if (state.getData().isEmpty()) {
            return Optional.empty();
        }
        String etag = state.getEtag();
        return Optional.of(new Entry(state.getData().toByteArray(), etag.isEmpty() ? null : etag));
    }

    @Override
    public boolean save(String key, byte[] value, @Nullable String etag) {
        try {
            write(key, value, etag, FIRST_WRITE);
            return true;
        } catch (StatusRuntimeException e) {
            Optional<Entry> now = get(key);
            boolean changed = etag == null ? now.isPresent() : now.map(Entry::etag).filter(etag::equals).isEmpty();
            if (changed) {
                return false;
            }
            throw unavailable("writing", key, e);
        }
    }

    @Override
    public void put(String key, byte[] value) {
        try {
            write(key, value, null, LAST_WRITE);
        } catch (StatusRuntimeException e) {
            throw unavailable("writing", key, e);
        }
    }

    private void write(String key, byte[] value, @Nullable String etag, CommonProtos.StateOptions options) {
        CommonProtos.StateItem.Builder item = CommonProtos.StateItem.newBuilder()
                .setKey(key).setValue(ByteString.copyFrom(value)).setOptions(options)
                .putMetadata("contentType", "application/json");
        if (etag != null) {
            item.setEtag(CommonProtos.Etag.newBuilder().setValue(etag));
        }
        sidecar.call().saveState(DaprStateProtos.SaveStateRequest.newBuilder().setStoreName(store).addStates(item).build());
    }

    private UnavailableException unavailable(String doing, String key, StatusRuntimeException e) {
        return new UnavailableException("state store " + store + " unavailable " + doing + " " + key + ": " + e.getStatus(), e);
    }

    private static CommonProtos.StateOptions options(CommonProtos.StateOptions.StateConcurrency concurrency) {
        return CommonProtos.StateOptions.newBuilder()
                .setConcurrency(concurrency)
                .setConsistency(CommonProtos.StateOptions.StateConsistency.CONSISTENCY_STRONG)
                .build();
    }
}
