package com.todo.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code scripts/bench-cluster.sh}: the topology of run-cluster.sh, measured: the resident memory of every process
 * once idle and after the reminders, and the lateness of {@code REMINDERS} reminders (default 30) fired by the real
 * scheduler, each from its remind time to the notification reminder-due recorded. Prints a Markdown report.
 */
public final class ClusterBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** The section of docs/benchmarks.md this benchmark writes; scripts/bench.sh keeps it (Report). */
    static final String SECTION = "## The cluster topology";

    private ClusterBench() {
    }

    public static void main(String[] args) throws Exception {
        int reminders = Integer.parseInt(System.getenv().getOrDefault("REMINDERS", "30"));
        Platform platform = Platform.locate();
        Path dir = Files.createTempDirectory("cluster-bench");
        String secret = ClusterTopology.secret(dir.resolve("jwt-secret"));
        ClusterTopology.Settings settings = new ClusterTopology.Settings(dir.resolve("data"), dir.resolve("logs"),
                ChildProcess.freePort(), secret, ClusterMain.appJava(), ClusterMain.IMAGE_FLAGS, null, null, null);
        long started = System.nanoTime();
        try (ClusterTopology cluster = ClusterTopology.start(platform, settings, line -> System.err.println("  " + line))) {
            double startSeconds = (System.nanoTime() - started) / 1e9;
            Thread.sleep(10_000);
            Map<String, long[]> idle = rss(cluster);
            String token = DevToken.sign("bench-" + UUID.randomUUID(), secret, Duration.ofHours(1));
            List<Long> lateness = remind(cluster, token, reminders);
            Map<String, long[]> after = rss(cluster);
            String section = report(platform, startSeconds, idle, after, lateness);
            Path published = platform.repository().resolve("docs/benchmarks.md");
            String text = Files.readString(published);
            int old = text.indexOf(SECTION);
            Files.writeString(published, (old < 0 ? text + "\n" : text.substring(0, old)) + section);
            System.out.println(section + "\n(written to " + published + "; logs: " + dir.resolve("logs") + ")");
        }
    }

    /** Process → {RSS, anonymous RSS} in KiB. */
    private static Map<String, long[]> rss(ClusterTopology cluster) {
        Map<String, ChildProcess> processes = new LinkedHashMap<>();
        ClusterTopology.DEPLOYABLES.forEach(app -> processes.put("daprd " + app, cluster.app(app).daprd().process()));
        ClusterTopology.DEPLOYABLES.forEach(app -> processes.put(app + " (jar)", cluster.app(app).jar()));
        processes.put("Kafka broker", cluster.kafka().process());
        processes.put("Dapr scheduler", cluster.scheduler().process());
        Map<String, long[]> rss = new LinkedHashMap<>();
        processes.forEach((name, p) -> rss.put(name, new long[] {p.rssKib(), p.anonymousKib()}));
        return rss;
    }

    /** Creates one task per reminder, three reminders per second from 10 s ahead; the lateness of each, in ms. */
    private static List<Long> remind(ClusterTopology cluster, String token, int count) throws Exception {
        Instant first = Instant.now().plusSeconds(10).truncatedTo(ChronoUnit.SECONDS);
        Map<String, Instant> due = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            Instant at = first.plusSeconds(i / 3);
            HttpResponse<String> created = send(cluster, token, HttpRequest.newBuilder()
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"title\": \"bench " + i + "\", \"reminders\": [{\"at\": \""
                            + at + "\"}]}")), "/api/v1/tasks");
            if (created.statusCode() != 201) {
                throw new IllegalStateException("create answered " + created.statusCode() + ": " + created.body());
            }
            due.put(JSON.readTree(created.body()).path("id").asText(), at);
        }
        Instant deadline = first.plusSeconds(count / 3 + 60);
        Map<String, Long> lateness = new LinkedHashMap<>();
        while (lateness.size() < count && Instant.now().isBefore(deadline)) {
            Thread.sleep(500);
            JsonNode page = JSON.readTree(send(cluster, token, HttpRequest.newBuilder().GET(), "/api/v1/notifications").body());
            for (JsonNode n : page.path("items")) {
                Instant at = due.get(n.path("taskId").asText());
                if (at != null) {
                    lateness.put(n.path("taskId").asText(),
                            Duration.between(at, Instant.parse(n.path("createdAt").asText())).toMillis());
                }
            }
        }
        if (lateness.size() < count) {
            throw new IllegalStateException(lateness.size() + " of " + count + " reminders fired within a minute");
        }
        return lateness.values().stream().sorted().toList();
    }

    private static HttpResponse<String> send(ClusterTopology cluster, String token, HttpRequest.Builder request,
                                             String path) throws Exception {
        return HTTP.send(request.uri(URI.create(cluster.app("task-api").url(path)))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The version in the JDK's release file, e.g. 25.0.1. */
    private static String javaVersion(Path java) {
        Path release = java.toAbsolutePath().getParent().getParent().resolve("release");
        try {
            return Platform.readEnvFile(release).getOrDefault("JAVA_VERSION", "?").replace("\"", "");
        } catch (RuntimeException unreadable) {
            return "?";
        }
    }

    private static long percentile(List<Long> sorted, double p) {
        return sorted.get(Math.max(0, (int) Math.ceil(p / 100 * sorted.size()) - 1));
    }

    private static String report(Platform platform, double startSeconds, Map<String, long[]> idle,
                                 Map<String, long[]> after, List<Long> lateness) {
        StringBuilder out = new StringBuilder(SECTION + "\n\n");
        out.append("Written by `scripts/bench-cluster.sh`: the topology of `scripts/run-cluster.sh` (docs/deploy.md §6), dapr ").append(platform.version("DAPR_VERSION"))
                .append(", Kafka ").append(platform.version("KAFKA_VERSION")).append(", the apps on JDK ")
                .append(javaVersion(ClusterMain.appJava())).append("; started in ").append(String.format("%.1f s", startSeconds))
                .append(" (").append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append(")\n\n");
        out.append("| process | RSS idle (MiB) | of it anonymous | RSS after the reminders | of it anonymous |\n")
                .append("|---|---:|---:|---:|---:|\n");
        long[] total = new long[4];
        for (String name : idle.keySet()) {
            long[] row = {idle.get(name)[0], idle.get(name)[1], after.get(name)[0], after.get(name)[1]};
            out.append("| ").append(name);
            for (int i = 0; i < 4; i++) {
                out.append(String.format(" | %.0f", row[i] / 1024.0));
                total[i] += row[i];
            }
            out.append(" |\n");
        }
        out.append(String.format("| **all** | %.0f | %.0f | %.0f | %.0f |%n%n", total[0] / 1024.0, total[1] / 1024.0,
                total[2] / 1024.0, total[3] / 1024.0));
        out.append(String.format("Reminder lateness through the real scheduler (remind time → notification recorded), "
                        + "%d reminders, 3 per second: p50 %d ms, p99 %d ms, min %d ms, max %d ms%n", lateness.size(),
                percentile(lateness, 50), percentile(lateness, 99), lateness.get(0), lateness.get(lateness.size() - 1)));
        out.append("\nThe jars run without a container's memory limit here (`-XX:MaxRAMPercentage=70` of the machine), so "
                + "their heaps are not sized as in a pod; a daprd's RSS is mostly its mapped 228 MB binary, which a memory "
                + "limit can reclaim, unlike the anonymous part.\n");
        return out.toString();
    }
}
