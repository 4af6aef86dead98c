package com.todo.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import jakarta.annotation.Nullable;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A real Micronaut application standing in for the functions behind the gateway: each route answers as its name
 * says and records what it received.
 */
@Controller
@Requires(property = "test.target", value = "true")
public class TargetFunction {

    /** One request as the target saw it. */
    public record Received(String path, Map<String, String> headers, byte[] body) {
    }

    /** What {@code /ok-drop-why} answers is wrong with every event: not ASCII, with a line break. */
    public static final String DROP_REASON = "data: $.title: ist zu lang –\n max 200";

    private static final List<Received> RECEIVED = new ArrayList<>();

    public static synchronized List<Received> received(String path) {
        return RECEIVED.stream().filter(r -> r.path.equals(path)).toList();
    }

    private static synchronized void record(String path, HttpRequest<?> request, byte[] body) {
        Map<String, String> headers = new HashMap<>();
        request.getHeaders().forEach((name, values) -> headers.put(name.toLowerCase(java.util.Locale.ROOT), values.get(0)));
        RECEIVED.add(new Received(path, headers, body == null ? new byte[0] : body));
    }

    /** Answers by the last path segment: {@code /ok-drop}, {@code /fn/task-api/outbox/flush} … */
    @Post(uri = "/{+path}", consumes = MediaType.ALL)
    public HttpResponse<?> handle(String path, HttpRequest<?> request, @Nullable @Body byte[] body)
            throws InterruptedException {
        record("/" + path, request, body);
        String last = path.substring(path.lastIndexOf('/') + 1);
        return switch (last) {
            case "flush" -> json(HttpStatus.OK, "{\"published\":0,\"failed\":0,\"pending\":3,\"oldestPendingSeconds\":42}");
            case "ok-success", "task-created", "sweep", "retention" -> json(HttpStatus.OK, "{\"status\":\"SUCCESS\"}");
            case "ok-drop" -> json(HttpStatus.OK, "{\"status\":\"DROP\"}");
            case "ok-drop-why" -> json(HttpStatus.OK, new ObjectMapper().createObjectNode()
                    .put("status", "DROP").put("reason", DROP_REASON).toString());
            // the inbox keeps a dead letter, unless its id says the database is down
            case "dead-letters" -> new String(body == null ? new byte[0] : body, java.nio.charset.StandardCharsets.UTF_8)
                    .contains("inbox-down") ? json(HttpStatus.SERVICE_UNAVAILABLE, "{\"status\":\"RETRY\"}")
                    : json(HttpStatus.OK, "{\"status\":\"SUCCESS\"}");
            case "ok-retry" -> json(HttpStatus.OK, "{\"status\":\"RETRY\"}");
            case "ok-accepted" -> json(HttpStatus.ACCEPTED, "{\"status\":\"SUCCESS\"}");
            case "ok-empty" -> HttpResponse.noContent();
            case "unauthorized" -> HttpResponse.status(HttpStatus.UNAUTHORIZED);
            case "missing" -> HttpResponse.status(HttpStatus.NOT_FOUND);
            case "busy" -> HttpResponse.status(HttpStatus.TOO_MANY_REQUESTS);
            case "broken" -> HttpResponse.status(HttpStatus.INTERNAL_SERVER_ERROR);
            case "unavailable" -> json(HttpStatus.SERVICE_UNAVAILABLE, "{\"status\":\"RETRY\"}");
            case "slow" -> {
                Thread.sleep(3000);
                yield json(HttpStatus.OK, "{\"status\":\"SUCCESS\"}");
            }
            default -> HttpResponse.status(HttpStatus.BAD_REQUEST);
        };
    }

    private static HttpResponse<?> json(HttpStatus status, String body) {
        return HttpResponse.status(status).body(body).contentType(MediaType.APPLICATION_JSON_TYPE);
    }
}
