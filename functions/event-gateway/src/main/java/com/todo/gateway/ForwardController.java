package com.todo.gateway;

import com.todo.events.EventCatalog;
import com.todo.function.AppApiTokenFilter;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /forward/<function>}: the route every Subscription rule points at (architecture D3). The CloudEvent
 * goes on to the function over HTTP — which wakes a scaled-to-zero function — and the answer is mapped back to
 * daprd's contract: a 2xx passes through with its body (SUCCESS, DROP or RETRY); any other status, a timeout or a
 * connection error is RETRY, never a drop: functions say poison with 200 DROP, so a 4xx here means infrastructure.
 * A DROP's reason is remembered ({@link DeadLetterReasons}) and goes along when the dead letter comes back.
 */
@Controller("/forward")
public class ForwardController {

    private static final Logger LOG = LoggerFactory.getLogger(ForwardController.class);
    static final String RETRY = "{\"status\":\"RETRY\"}";
    static final String DROP = "{\"status\":\"DROP\"}";

    /** The header that carries a dropped event's reason to the dead-letter inbox (URL-encoded UTF-8). */
    static final String REASON_HEADER = "todo-drop-reason";

    private final FunctionDirectory functions;
    private final DeadLetterReasons reasons;
    private final GatewayMetrics metrics;
    private final HttpClient http;
    private final Duration timeout;
    private final String appToken;

    public ForwardController(FunctionDirectory functions, DeadLetterReasons reasons, GatewayMetrics metrics,
                             @Value("${todo.gateway.forward-timeout:30s}") Duration timeout,
                             @Value("${todo.app-api-token:}") String appToken) {
        this.functions = functions;
        this.reasons = reasons;
        this.metrics = metrics;
        this.timeout = timeout;
        this.appToken = appToken;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    @Post(uri = "/{function}", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    public CompletableFuture<MutableHttpResponse<?>> forward(String function, HttpRequest<?> request,
                                                             @Nullable @Body byte[] body) {
        String id = Envelopes.id(request.getHeaders().get("ce-id"), body);
        if (!functions.isKnown(function)) {
            // a Subscription routing to a function that does not exist (or its default route): dead-letter it
            String reason = "no function '" + function + "' to forward to";
            LOG.warn("DROP event {}: {}", id, reason);
            remember(id, reason);
            metrics.event("unknown", "DROP");
            return CompletableFuture.completedFuture(HttpResponse.ok(DROP).contentType(MediaType.APPLICATION_JSON_TYPE));
        }
        java.net.http.HttpRequest.Builder out = java.net.http.HttpRequest.newBuilder(functions.eventUrl(function))
                .timeout(timeout)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body == null ? new byte[0] : body));
        copyHeaders(request.getHeaders(), out);
        boolean deadLetter = function.equals(FunctionDirectory.DEAD_LETTERS);
        if (deadLetter && id != null) {
            reasons.of(id).ifPresent(reason -> out.header(REASON_HEADER, URLEncoder.encode(reason, StandardCharsets.UTF_8)));
        }
        long start = System.nanoTime();
        return http.sendAsync(out.build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray())
                .<MutableHttpResponse<?>>thenApply(answer -> {
                    int status = answer.statusCode();
                    if (status / 100 == 2) {
                        log(function, id, status, start, null);
                        Envelopes.Answer said = Envelopes.answer(answer.body());
                        metrics.event(function, said.outcome());
                        if (deadLetter && said.outcome().equals("SUCCESS")) {
                            // counted once kept: a delivery the inbox refused comes again
                            metrics.deadLetter(originalTopic(Envelopes.topic(body)));
                        }
                        if (said.outcome().equals("DROP") && said.reason() != null) {
                            remember(id, said.reason());
                        }
                        MutableHttpResponse<byte[]> passed = HttpResponse.<byte[]>status(HttpStatus.valueOf(status))
                                .body(answer.body());
                        answer.headers().firstValue(HttpHeaders.CONTENT_TYPE).ifPresent(passed::contentType);
                        return passed;
                    }
                    log(function, id, status, start, "function answered " + status);
                    metrics.event(function, "RETRY");
                    return retry();
                })
                .exceptionally(e -> {
                    log(function, id, 0, start, e.getCause() != null ? e.getCause().toString() : e.toString());
                    metrics.event(function, "RETRY");
                    return retry();
                });
    }

    /** A dead-letter topic is named for the topic it holds the dead letters of: that one, without "-dlq". */
    private static String originalTopic(String topic) {
        String origin = topic != null && topic.endsWith("-dlq") ? topic.substring(0, topic.length() - 4) : topic;
        return EventCatalog.TOPICS.contains(origin) ? origin : "unknown";
    }

    private void remember(String id, String reason) {
        if (id != null) {
            reasons.remember(id, reason);
        }
    }

    /** The CloudEvent (content type, {@code ce-*}), the trace context and the app token go along. */
    private void copyHeaders(io.micronaut.http.HttpHeaders headers, java.net.http.HttpRequest.Builder out) {
        for (Map.Entry<String, java.util.List<String>> header : headers) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (name.startsWith("ce-") || name.equals("content-type") || name.equals("traceparent")
                    || name.equals("tracestate")) {
                header.getValue().forEach(value -> out.header(header.getKey(), value));
            }
        }
        if (!appToken.isEmpty()) {
            out.header(AppApiTokenFilter.HEADER, appToken);
        }
    }

    private static MutableHttpResponse<?> retry() {
        return HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE).body(RETRY).contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    private static void log(String function, String id, int status, long start, String problem) {
        long ms = (System.nanoTime() - start) / 1_000_000;
        if (problem == null) {
            LOG.info("forward {} event {} -> {} in {} ms", function, id, status, ms);
        } else {
            LOG.warn("forward {} event {} -> RETRY in {} ms: {}", function, id, ms, problem);
        }
    }
}
