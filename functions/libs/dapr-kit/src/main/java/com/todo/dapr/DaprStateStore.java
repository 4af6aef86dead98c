package com.todo.dapr;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.todo.function.LoopbackHttp;
import com.todo.function.StateStore;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The Dapr state store ({@code taskstate}: state.postgresql v2, {@code keyPrefix: none}) through the sidecar's HTTP
 * state API, with first-write concurrency. Values are JSON and sent as JSON: daprd decodes them and state.postgresql
 * keeps them re-encoded (keys sorted), not as our bytes. daprd answers a lost ETag check with 409 but a lost
 * insert-if-absent with a generic 500 (platform contracts §5), so after any failed save the key is read again: if
 * it changed, another writer won (false); if not, the store is unavailable.
 */
@Singleton
@Requires(property = "todo.state.store", value = "dapr", defaultValue = "dapr")
public class DaprStateStore implements StateStore {

    private static final String FIRST_WRITE = "first-write";
    private static final String LAST_WRITE = "last-write";

    private final DaprSidecar sidecar;
    private final String store;

    public DaprStateStore(DaprSidecar sidecar, @Value("${todo.state.name:taskstate}") String store) {
        this.sidecar = sidecar;
        this.store = store;
    }

    @Override
    public Optional<Entry> get(String key) {
        LoopbackHttp.Answer answer;
        try {
            answer = sidecar.call("GET", "state/" + store + "/" + URLEncoder.encode(key, StandardCharsets.UTF_8),
                    null, null);
        } catch (IOException e) {
            throw unavailable("reading", key, e.toString(), e);
        }
        if (!answer.ok()) {
            throw unavailable("reading", key, answer.status() + " " + answer.text(), null);
        }
        if (answer.body().length == 0) { // 204: no such key
            return Optional.empty();
        }
        String etag = answer.etag();
        return Optional.of(new Entry(answer.body(), etag == null || etag.isEmpty() ? null : etag));
    }

    @Override
    public boolean save(String key, byte[] value, @Nullable String etag) {
        String failure = write(key, value, etag, FIRST_WRITE);
        if (failure == null) {
            return true;
        }
        Optional<Entry> now = get(key);
        boolean changed = etag == null ? now.isPresent() : now.map(Entry::etag).filter(etag::equals).isEmpty();
        if (changed) {
            return false;
        }
        throw unavailable("writing", key, failure, null);
    }

    @Override
    public void put(String key, byte[] value) {
        String failure = write(key, value, null, LAST_WRITE);
        if (failure != null) {
            throw unavailable("writing", key, failure, null);
        }
    }

    /** @return null when saved, else what went wrong */
    private @Nullable String write(String key, byte[] value, @Nullable String etag, String concurrency) {
        ByteArrayOutputStream body = new ByteArrayOutputStream(value.length + 160);
        body.writeBytes(utf8("[{\"key\":" + quote(key) + ",\"value\":"));
        body.writeBytes(value);
        body.writeBytes(utf8((etag == null ? "" : ",\"etag\":" + quote(etag))
                + ",\"options\":{\"concurrency\":\"" + concurrency + "\",\"consistency\":\"strong\"}}]"));
        try {
            LoopbackHttp.Answer answer = sidecar.call("POST", "state/" + store, body.toByteArray(), "application/json");
            return answer.ok() ? null : answer.status() + " " + answer.text();
        } catch (IOException e) {
            return e.toString();
        }
    }

    private UnavailableException unavailable(String doing, String key, String why, @Nullable IOException e) {
        return new UnavailableException("state store " + store + " unavailable " + doing + " " + key + ": " + why, e);
    }

    private static String quote(String s) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
