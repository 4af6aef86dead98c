package com.todo.function;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Put;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stands in for the gateway's schedules API in a function's tests (the gateway is tested on its own): it keeps the
 * schedules as the gateway's jobs would be, and every call in order.
 */
@Controller("/schedules")
@Requires(property = "test.schedules-api", value = "true")
public class RecordingSchedulesApi {

    /** One call: PUT with its body, or DELETE. */
    public record Call(String method, String name, String body) {
    }

    private static final List<Call> CALLS = new ArrayList<>();
    private static final Map<String, String> SCHEDULES = new LinkedHashMap<>();
    private static volatile boolean down;
    private static volatile boolean refusing;

    public static synchronized List<Call> calls() {
        return List.copyOf(CALLS);
    }

    public static synchronized Map<String, String> schedules() {
        return Map.copyOf(SCHEDULES);
    }

    /** While down, every call is a 503, like an unreachable gateway. */
    public static void down(boolean isDown) {
        down = isDown;
    }

    /** While refusing, every PUT is the gateway's 422: the scheduler refused the job. */
    public static void refusing(boolean isRefusing) {
        refusing = isRefusing;
    }

    @Put("/{name}")
    @Consumes(MediaType.ALL)
    public HttpResponse<?> put(String name, @Nullable @Body byte[] body) {
        if (down) {
            return HttpResponse.serverError();
        }
        if (refusing) {
            return Problem.response(io.micronaut.http.HttpStatus.UNPROCESSABLE_ENTITY,
                    "the job scheduler refused schedule " + name);
        }
        String text = body == null ? "" : new String(body, StandardCharsets.UTF_8);
        synchronized (RecordingSchedulesApi.class) {
            CALLS.add(new Call("PUT", name, text));
            SCHEDULES.put(name, text);
        }
        return HttpResponse.noContent();
    }

    @Delete("/{name}")
    public HttpResponse<?> delete(String name) {
        if (down) {
            return HttpResponse.serverError();
        }
        synchronized (RecordingSchedulesApi.class) {
            CALLS.add(new Call("DELETE", name, null));
            SCHEDULES.remove(name);
        }
        return HttpResponse.noContent();
    }
}
