package com.todo.platform;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * What one instance of a function sustains through its real daprd: events posted straight to the function's route,
 * as the gateway forwards them, a fixed number at a time. Each event's state calls and schedule go through the
 * function's own daprd (the PostgreSQL state store; the gateway's schedules API by service invocation, and the real
 * scheduler behind it), so the rate and latencies include the round trips the fake sidecar of scripts/bench.sh does
 * not have.
 */
final class OneInstanceRate {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** Events handled per second, the latency of each answer (sorted, ms), the CPU each process spent per event. */
    record Result(int events, int concurrency, double perSecond, List<Long> latencyMs, Map<String, Double> cpuMsPerEvent) {
    }

    private OneInstanceRate() {
    }

    /** A warm-up of a fifth as many events first (not counted), then {@code events} measured ones. */
    static Result measure(ClusterTopology cluster, String function, int events, int concurrency,
                          Supplier<String> event, Map<String, ChildProcess> processes) throws Exception {
        String url = cluster.app(function).url("/" + function);
        run(cluster, url, events / 5, concurrency, event);
        Map<String, Double> before = EndToEndRate.cpu(processes);
        long start = System.nanoTime();
        List<Long> latency = run(cluster, url, events, concurrency, event);
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Double> spent = EndToEndRate.since(before, EndToEndRate.cpu(processes));
        spent.replaceAll((name, ms) -> ms / events);
        return new Result(events, concurrency, events / seconds, latency, spent);
    }

    private static List<Long> run(ClusterTopology cluster, String url, int events, int concurrency,
                                  Supplier<String> event) throws Exception {
        AtomicInteger next = new AtomicInteger();
        List<Long> latency = Collections.synchronizedList(new ArrayList<>());
        ExecutorService clients = Executors.newFixedThreadPool(concurrency);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < concurrency; c++) {
                running.add(clients.submit(() -> {
                    while (next.getAndIncrement() < events) {
                        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                                .header("Content-Type", "application/cloudevents+json")
                                .header("dapr-api-token", cluster.appApiToken())
                                .timeout(Duration.ofSeconds(30))
                                .POST(HttpRequest.BodyPublishers.ofString(event.get())).build();
                        long sent = System.nanoTime();
                        HttpResponse<String> answer = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                        latency.add((System.nanoTime() - sent) / 1_000_000);
                        if (answer.statusCode() != 200 || !answer.body().contains("SUCCESS")) {
                            throw new IllegalStateException(url + " answered " + answer.statusCode() + " "
                                    + answer.body());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> client : running) {
                client.get();
            }
        } finally {
            clients.shutdownNow();
        }
        return latency.stream().sorted().toList();
    }
}
