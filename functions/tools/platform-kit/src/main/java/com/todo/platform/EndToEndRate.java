package com.todo.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Events per second through the real platform, from the API's write to a function's effect: tasks created (their
 * task.created applied by task-created), then all of them completed (task.completed applied by task-completed), each
 * request from {@code concurrency} clients at once. Where each event's time went comes from the rows it left: the
 * outbox row (written, published), and the task's watermark in Dapr's state table (claimed, applied).
 */
final class EndToEndRate {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /**
     * One phase: how many events, over how long, each stage's durations in ms (sorted), and the CPU each process
     * spent meanwhile, in ms.
     */
    record Phase(String name, int events, double seconds, Map<String, List<Long>> stages, Map<String, Double> cpuMs) {
        double perSecond() {
            return events / seconds;
        }
    }

    private record Sent(Instant at, Instant answered) {
    }

    private EndToEndRate() {
    }

    /**
     * @param processes by name, every process of the topology whose CPU is counted (PostgreSQL's are found by their
     *                  command and counted as one)
     */
    static List<Phase> measure(ClusterTopology cluster, String token, int tasks, int concurrency,
                               Map<String, ChildProcess> processes) throws Exception {
        Map<String, Sent> created = new ConcurrentHashMap<>();
        Map<String, Double> cpu = cpu(processes);
        Instant first = Instant.now();
        send(concurrency, tasks, i -> {
            Instant at = Instant.now();
            HttpResponse<String> answer = api(cluster, token, HttpRequest.newBuilder()
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"title\": \"rate " + i + "\", \"dueAt\": \"2030-01-01T09:00:00Z\", "
                            + "\"reminders\": [{\"before\": \"PT10M\"}]}")), "/api/v1/tasks", 201);
            created.put(JSON.readTree(answer.body()).path("id").asText(), new Sent(at, Instant.now()));
        });
        List<Phase> phases = new ArrayList<>();
        phases.add(phase(cluster, "task.created → task-created", "com.todo.task.created", 1, first, created,
                since(cpu, cpu = cpu(processes))));

        Map<String, Sent> completed = new ConcurrentHashMap<>();
        List<String> ids = new ArrayList<>(created.keySet());
        first = Instant.now();
        send(concurrency, ids.size(), i -> {
            Instant at = Instant.now();
            api(cluster, token, HttpRequest.newBuilder().POST(HttpRequest.BodyPublishers.noBody()),
                    "/api/v1/tasks/" + ids.get(i) + "/complete", 200);
            completed.put(ids.get(i), new Sent(at, Instant.now()));
        });
        phases.add(phase(cluster, "task.completed → task-completed", "com.todo.task.completed", 2, first, completed,
                since(cpu, cpu(processes))));
        return phases;
    }

    static Map<String, Double> cpu(Map<String, ChildProcess> processes) {
        Map<String, Double> cpu = new java.util.LinkedHashMap<>();
        processes.forEach((name, p) -> cpu.put(name, cpuMs(ProcessHandle.of(p.pid()).orElse(null))));
        cpu.put("PostgreSQL", ProcessHandle.allProcesses()
                .filter(ph -> ph.info().command().map(c -> c.endsWith("/postgres")).orElse(false))
                .mapToDouble(EndToEndRate::cpuMs).sum());
        return cpu;
    }

    private static double cpuMs(ProcessHandle process) {
        return process == null ? 0 : process.info().totalCpuDuration().map(d -> d.toNanos() / 1e6).orElse(0.0);
    }

    static Map<String, Double> since(Map<String, Double> before, Map<String, Double> after) {
        Map<String, Double> spent = new java.util.LinkedHashMap<>();
        after.forEach((name, ms) -> spent.put(name, ms - before.getOrDefault(name, 0.0)));
        return spent;
    }

    private interface Request {
        void send(int i) throws Exception;
    }

    private static void send(int concurrency, int count, Request request) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                all.add(pool.submit(() -> {
                    request.send(n);
                    return null;
                }));
            }
            for (Future<?> f : all) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    /** Waits until every task's watermark holds {@code version} applied, then reads each event's stages. */
    private static Phase phase(ClusterTopology cluster, String name, String type, long version, Instant first,
                               Map<String, Sent> sent, Map<String, Double> cpuMs) throws Exception {
        Map<String, String> keys = new HashMap<>();
        sent.keySet().forEach(id -> keys.put("task-" + id, id));
        Map<String, Instant[]> watermarks = new HashMap<>();
        Instant deadline = Instant.now().plusSeconds(120);
        try (Connection db = cluster.connectDatabase()) {
            while (watermarks.size() < sent.size()) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException(name + ": " + watermarks.size() + " of " + sent.size()
                            + " applied within 120 s");
                }
                Thread.sleep(100);
                try (PreparedStatement ps = db.prepareStatement(
                        "SELECT key, value, coalesce(updated_at, created_at) FROM dapr_state WHERE key = ANY (?)")) {
                    ps.setArray(1, db.createArrayOf("text", keys.keySet().toArray()));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            JsonNode w = JSON.readTree(rs.getBytes(2));
                            if (w.path("version").asLong() == version && w.path("applied").asBoolean()) {
                                watermarks.putIfAbsent(keys.get(rs.getString(1)), new Instant[] {
                                        Instant.parse(w.path("claimedAt").asText()), rs.getTimestamp(3).toInstant()});
                            }
                        }
                    }
                }
            }
            Instant last = watermarks.values().stream().map(w -> w[1]).max(Instant::compareTo).orElseThrow();
            Map<String, List<Long>> stages = new java.util.LinkedHashMap<>();
            for (String stage : List.of("API answer", "outbox → published", "published → handler", "handler", "total")) {
                stages.put(stage, new ArrayList<>());
            }
            try (PreparedStatement ps = db.prepareStatement(
                    "SELECT aggregate_id, created_at, published_at FROM outbox WHERE type = ? AND aggregate_id = ANY (?)")) {
                ps.setString(1, type);
                ps.setArray(2, db.createArrayOf("text", sent.keySet().toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String id = rs.getString(1);
                        Sent s = sent.get(id);
                        Instant written = rs.getTimestamp(2).toInstant();
                        Instant published = rs.getTimestamp(3).toInstant();
                        Instant[] w = watermarks.get(id);
                        stages.get("API answer").add(Duration.between(s.at(), s.answered()).toMillis());
                        stages.get("outbox → published").add(Duration.between(written, published).toMillis());
                        stages.get("published → handler").add(Duration.between(published, w[0]).toMillis());
                        stages.get("handler").add(Duration.between(w[0], w[1]).toMillis());
                        stages.get("total").add(Duration.between(s.at(), w[1]).toMillis());
                    }
                }
            }
            stages.values().forEach(java.util.Collections::sort);
            return new Phase(name, sent.size(), Duration.between(first, last).toMillis() / 1000.0, stages, cpuMs);
        }
    }

    private static HttpResponse<String> api(ClusterTopology cluster, String token, HttpRequest.Builder request,
                                            String path, int expected) throws Exception {
        HttpResponse<String> answer = HTTP.send(request.uri(URI.create(cluster.app("task-api").url(path)))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != expected) {
            throw new IllegalStateException(path + " answered " + answer.statusCode() + ": " + answer.body());
        }
        return answer;
    }
}
