package com.todo.function;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The probes' routes. {@code /health/liveness}: UP while the process serves HTTP. {@code /health/readiness} and
 * {@code /health}: UP naming the {@link ReadinessCheck}s that passed when all pass, else 503 naming the ones that fail
 * (so an operator, and the shipped-jar tests, see which checks a process really runs). Our own rather
 * than micronaut-management's health endpoint: Knative's readiness probe calls it before a cold-started pod gets its
 * first event, and management's first answer was slower and its classes larger (docs/benchmarks.md).
 */
@Controller("/health")
public class HealthController {

    private static final Map<String, Object> UP = Map.of("status", "UP");

    private final List<ReadinessCheck> checks;

    public HealthController(List<ReadinessCheck> checks) {
        this.checks = checks;
    }

    @Get(uris = {"/", "/readiness"})
    @ExecuteOn(TaskExecutors.BLOCKING)
    public HttpResponse<Map<String, Object>> readiness() {
        List<String> down = checks.stream().filter(check -> !check.ready()).map(ReadinessCheck::name).sorted().toList();
        return down.isEmpty()
                ? HttpResponse.ok(up(checks.stream().map(ReadinessCheck::name).sorted().toList()))
                : HttpResponse.<Map<String, Object>>status(HttpStatus.SERVICE_UNAVAILABLE)
                        .body(Map.of("status", "DOWN", "down", down));
    }

    private static Map<String, Object> up(List<String> checked) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "UP");
        body.put("checks", checked);
        return body;
    }

    @Get("/liveness")
    public Map<String, Object> liveness() {
        return UP;
    }
}
