package com.todo.platform;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A function's scale from zero as Knative brings up its pod: its daprd and its shipped jar started at the same
 * instant, the pod's readiness probed as the queue-proxy probes it, then the first event delivered through the
 * gateway (as the activator sends the request it held), timed and split from daprd's own log.
 */
final class PodColdStart {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Pattern LOG_LINE = Pattern.compile("time=\"([^\"]+)\".*?msg=\"([^\"]*)\"");
    private static final Duration PROBE = Duration.ofMillis(10);

    /** One cold start, in ms from both processes' start. */
    record Split(Map<String, Long> components, long daprdOutbound, long appDiscovered, long daprdInitialized,
                 long jarReady, long firstEventHandled) {
    }

    private PodColdStart() {
    }

    /**
     * Scales {@code function} to zero (both processes killed) and back, {@code rounds} times; each first event is the
     * {@code event} the supplier makes (a structured CloudEvent), posted to the gateway's forward route.
     */
    static List<Split> measure(ClusterTopology cluster, String function, int rounds,
                               java.util.function.Supplier<String> event) throws Exception {
        ClusterTopology.App app = cluster.app(function);
        ClusterTopology.App gateway = cluster.app("event-gateway");
        List<Split> splits = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            app.jar().kill();
            app.daprd().process().kill();
            Thread.sleep(1000);
            long logFrom = Files.size(app.daprd().process().log());
            long start = System.nanoTime();
            app.daprd().process().restart();
            app.jar().restart();
            long outbound = await(app.daprd().httpUrl("/v1.0/healthz/outbound"), 204, start);
            long ready = await(app.url("/health/readiness"), 200, start);
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(
                            URI.create(gateway.url("/forward/" + function)))
                    .header("Content-Type", "application/cloudevents+json")
                    .header("dapr-api-token", cluster.appApiToken())
                    .timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString(event.get())).build(), HttpResponse.BodyHandlers.ofString());
            long handled = ms(start);
            if (answer.statusCode() != 200 || !answer.body().contains("SUCCESS")) {
                throw new IllegalStateException(function + "'s first event: " + answer.statusCode() + " " + answer.body());
            }
            app.daprd().awaitHealthy(Duration.ofSeconds(30));
            splits.add(fromLog(app.daprd().process().log(), logFrom, start, outbound, ready, handled));
        }
        return splits;
    }

    /**
     * daprd with no components, no scheduler and no app, to outbound ready: what daprd costs before any of our
     * configuration, in the same run.
     */
    static List<Long> bareDaprd(Platform platform, Path logDir, int rounds) throws Exception {
        Path empty = Files.createDirectories(logDir.resolve("bare-resources"));
        List<Long> ready = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            long start = System.nanoTime();
            try (Daprd daprd = Daprd.launch(platform, Daprd.Options.of("bare-" + round, 0, List.of(empty)),
                    logDir.resolve("daprd-bare.log"))) {
                ready.add(await(daprd.httpUrl("/v1.0/healthz/outbound"), 204, start));
            }
        }
        return ready;
    }

    /** Polls {@code url} every 10 ms until it answers {@code status}; the ms since {@code start}. */
    private static long await(String url, int status, long start) throws InterruptedException {
        HttpRequest probe = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(1)).GET().build();
        long deadline = start + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (HTTP.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == status) {
                    return ms(start);
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(PROBE.toMillis());
        }
        throw new IllegalStateException(url + " did not answer " + status + " within 60 s");
    }

    /**
     * daprd's own times: when each component was loaded, when it found the app's port, when it finished initialising.
     * Its log's clock is this machine's, so a line's time minus the start's wall time is its ms since the start.
     */
    private static Split fromLog(Path log, long from, long startNanos, long outbound, long ready, long handled)
            throws IOException {
        Instant startWall = Instant.now().minusNanos(System.nanoTime() - startNanos);
        byte[] all = Files.readAllBytes(log);
        String text = new String(all, (int) Math.min(from, all.length), (int) (all.length - Math.min(from, all.length)),
                StandardCharsets.UTF_8);
        Map<String, Long> components = new LinkedHashMap<>();
        long discovered = -1;
        long initialized = -1;
        for (String line : text.split("\n")) {
            Matcher m = LOG_LINE.matcher(line);
            if (!m.find()) {
                continue;
            }
            long at = Duration.between(startWall, Instant.parse(m.group(1))).toMillis();
            String msg = m.group(2);
            if (msg.startsWith("Component loaded: ")) {
                components.put(msg.substring("Component loaded: ".length()), at);
            } else if (msg.startsWith("application discovered")) {
                discovered = at;
            } else if (msg.startsWith("dapr initialized")) {
                initialized = at;
            }
        }
        return new Split(components, outbound, discovered, initialized, ready, handled);
    }

    private static long ms(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** A task.created event of a new task with one reminder, as task-api's outbox writes it. */
    static String taskCreated() {
        UUID id = UUID.randomUUID();
        Instant now = Instant.now();
        Instant due = now.plus(Duration.ofDays(2)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        String data = "{\"id\":\"" + id + "\",\"userId\":\"bench\",\"title\":\"Cold start\",\"description\":null,"
                + "\"status\":\"pending\",\"priority\":\"medium\",\"tags\":[],\"dueAt\":\"" + due + "\",\"timeZone\":\"UTC\","
                + "\"reminders\":[{\"id\":\"" + UUID.randomUUID() + "\",\"before\":\"PT1H\",\"at\":null,\"remindAt\":\""
                + due.minusSeconds(3600) + "\"}],\"recurrence\":null,\"seriesId\":null,\"version\":1,\"createdAt\":\""
                + now + "\",\"updatedAt\":\"" + now + "\",\"completedAt\":null}";
        return "{\"specversion\":\"1.0\",\"id\":\"" + UUID.randomUUID() + "\",\"source\":\"/bench\","
                + "\"type\":\"com.todo.task.created\",\"subject\":\"" + id + "\",\"time\":\"" + now + "\","
                + "\"datacontenttype\":\"application/json\",\"data\":" + data + "}";
    }
}
