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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
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
    /** The deployable whose scale from zero is measured. */
    private static final String POD = "task-created";
    /** knative/Dockerfile's TUNED flags beyond ClusterMain.IMAGE_FLAGS: they go with the AOT cache. */
    private static final List<String> IMAGE_AOT_FLAGS = List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:-AOTReplayTraining");

    private ClusterBench() {
    }

    public static void main(String[] args) throws Exception {
        int reminders = Integer.parseInt(System.getenv().getOrDefault("REMINDERS", "30"));
        int podRounds = Integer.parseInt(System.getenv().getOrDefault("POD_ROUNDS", "5"));
        int tasks = Integer.parseInt(System.getenv().getOrDefault("TASKS", "300"));
        int instanceEvents = Integer.parseInt(System.getenv().getOrDefault("INSTANCE_EVENTS", "2000"));
        Platform platform = Platform.locate();
        Path dir = Files.createTempDirectory("cluster-bench");
        String secret = ClusterTopology.secret(dir.resolve("jwt-secret"));
        Map<String, Map<String, String>> podEnvironment = new LinkedHashMap<>();
        String aot = aotCache(platform, POD, dir.resolve("aot"))
                .map(cache -> {
                    podEnvironment.put(POD, Map.of("JAVA_TOOL_OPTIONS", String.join(" ", IMAGE_AOT_FLAGS)
                            + " -XX:AOTMode=on -XX:AOTCache=" + cache));
                    return "with its AOT cache trained as the image build trains it";
                })
                .orElse("**without an AOT cache** (needs JDK 25 and the bench jar: the image has one)");
        ClusterTopology.Settings settings = new ClusterTopology.Settings(dir.resolve("data"), dir.resolve("logs"),
                ChildProcess.freePort(), secret, ClusterMain.appJava(), ClusterMain.IMAGE_FLAGS, null, null, null,
                podEnvironment);
        long started = System.nanoTime();
        try (ClusterTopology cluster = ClusterTopology.start(platform, settings, line -> System.err.println("  " + line))) {
            double startSeconds = (System.nanoTime() - started) / 1e9;
            Thread.sleep(10_000);
            Map<String, long[]> idle = rss(cluster);
            String token = DevToken.sign("bench-" + UUID.randomUUID(), secret, Duration.ofHours(1));
            List<Long> lateness = remind(cluster, token, reminders);
            Map<String, long[]> after = rss(cluster);
            System.err.println("  scale from zero: " + POD + ", " + podRounds + " times");
            List<PodColdStart.Split> pods = PodColdStart.measure(cluster, POD, podRounds, PodColdStart::taskCreated);
            System.err.println("  one instance: " + instanceEvents + " events straight to " + POD + ", 8 at a time");
            OneInstanceRate.Result instance = OneInstanceRate.measure(cluster, POD, instanceEvents, 8,
                    PodColdStart::taskCreated, processes(cluster));
            List<Long> bare = PodColdStart.bareDaprd(platform, dir.resolve("logs"), podRounds);
            System.err.println("  end to end: " + tasks + " tasks created, then completed, 8 clients");
            List<EndToEndRate.Phase> rate = EndToEndRate.measure(cluster, token, tasks, 8, processes(cluster));
            String section = report(platform, startSeconds, idle, after, lateness) + podReport(pods, aot, bare)
                    + instanceReport(instance) + rateReport(rate, tasks);
            Path published = platform.repository().resolve("docs/benchmarks.md");
            String text = Files.readString(published);
            int old = text.indexOf(SECTION);
            Files.writeString(published, (old < 0 ? text + "\n" : text.substring(0, old)) + section);
            System.out.println(section + "\n(written to " + published + "; logs: " + dir.resolve("logs") + ")");
        }
    }

    /** Every process of the topology but PostgreSQL's, by name. */
    private static Map<String, ChildProcess> processes(ClusterTopology cluster) {
        Map<String, ChildProcess> processes = new LinkedHashMap<>();
        ClusterTopology.DEPLOYABLES.forEach(app -> processes.put("daprd " + app, cluster.app(app).daprd().process()));
        ClusterTopology.DEPLOYABLES.forEach(app -> processes.put(app + " (jar)", cluster.app(app).jar()));
        processes.put("Kafka broker", cluster.kafka().process());
        processes.put("Dapr scheduler", cluster.scheduler().process());
        return processes;
    }

    /** Process → {RSS, anonymous RSS} in KiB. */
    private static Map<String, long[]> rss(ClusterTopology cluster) {
        Map<String, long[]> rss = new LinkedHashMap<>();
        processes(cluster).forEach((name, p) -> rss.put(name, new long[] {p.rssKib(), p.anonymousKib()}));
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

    /**
     * The image build's AOT training (knative/Dockerfile: bench.jar's Train, the image's flags) for one deployable's
     * jar where the topology runs it; empty when there is no JDK 25 or no bench jar.
     */
    private static Optional<Path> aotCache(Platform platform, String app, Path dir) throws Exception {
        Path java = ClusterMain.appJava();
        Path bench = platform.repository().resolve("functions/tools/bench/target/bench-0.1.0-SNAPSHOT-all.jar");
        if (!javaVersion(java).startsWith("25") || !Files.isRegularFile(bench)) {
            return Optional.empty();
        }
        Files.createDirectories(dir);
        Path cache = dir.resolve(app + ".aot");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-cp", bench.toString(),
                "com.todo.bench.Train", app, ClusterTopology.jar(platform.repository(), app).toString(), cache.toString()));
        command.addAll(ClusterMain.IMAGE_FLAGS);
        command.addAll(IMAGE_AOT_FLAGS);
        System.err.println("  AOT cache of " + app + ": training");
        Process train = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve(app + "-training.log").toFile()).start();
        if (train.waitFor() != 0 || !Files.isRegularFile(cache)) {
            throw new IllegalStateException("AOT training of " + app + " failed: see " + dir.resolve(app + "-training.log"));
        }
        return Optional.of(cache);
    }

    private static String podReport(List<PodColdStart.Split> pods, String aot, List<Long> bare) {
        Map<String, List<Long>> rows = new LinkedHashMap<>();
        for (PodColdStart.Split p : pods) {
            p.components().forEach((c, at) -> rows.computeIfAbsent("daprd: component " + c + " loaded",
                    k -> new ArrayList<>()).add(at));
            rows.computeIfAbsent("daprd: outbound ready (`/v1.0/healthz/outbound` 204)", k -> new ArrayList<>())
                    .add(p.daprdOutbound());
            if (p.appDiscovered() >= 0) { // only with an app port: daprd then waits for it
                rows.computeIfAbsent("daprd: the app's port found open", k -> new ArrayList<>()).add(p.appDiscovered());
            }
            rows.computeIfAbsent("daprd: initialised (its `dapr initialized` line)", k -> new ArrayList<>())
                    .add(p.daprdInitialized());
            rows.computeIfAbsent("jar: ready (`/health/readiness` 200, which needs daprd)", k -> new ArrayList<>())
                    .add(p.jarReady());
            rows.computeIfAbsent("**first event handled, through the gateway**", k -> new ArrayList<>())
                    .add(p.firstEventHandled());
        }
        StringBuilder out = new StringBuilder("\n### A pod's scale from zero (task-created)\n\n");
        out.append(pods.size()).append(" times: task-created's daprd and jar (").append(aot).append(") killed, then ")
                .append("started at the same instant as ")
                .append("Knative starts a pod's containers; readiness probed every 10 ms as the queue-proxy probes it; ")
                .append("then the first event posted to the gateway's `/forward/task-created`, as the activator sends ")
                .append("the request it held. ms from both processes' start; daprd's steps from its own log.\n\n")
                .append("| step | median | min | max |\n|---|---:|---:|---:|\n");
        rows.put("for comparison, in the same run: a daprd without components, scheduler or app, to outbound ready", bare);
        rows.forEach((step, values) -> {
            List<Long> sorted = values.stream().sorted().toList();
            out.append("| ").append(step).append(" | ").append(percentile(sorted, 50)).append(" | ")
                    .append(sorted.get(0)).append(" | ").append(sorted.get(sorted.size() - 1)).append(" |\n");
        });
        return out.toString();
    }

    private static String instanceReport(OneInstanceRate.Result r) {
        List<String> shown = List.of(POD + " (jar)", "daprd " + POD, "event-gateway (jar)", "daprd event-gateway",
                "Dapr scheduler", "PostgreSQL");
        StringBuilder out = new StringBuilder("\n### One instance through its real daprd (task-created)\n\n");
        out.append(r.events()).append(" task.created events of new tasks, each with a reminder to schedule, posted ")
                .append("straight to task-created's `/task-created` as the gateway forwards them, ").append(r.concurrency())
                .append(" at a time, after a warm-up of a fifth as many. Each makes two state calls through its daprd ")
                .append("to PostgreSQL and one schedule through its daprd, the gateway's daprd and the gateway to the ")
                .append("real scheduler. CPU in ms per event.\n\n| events/s | p50 ms | p99 ms");
        shown.forEach(name -> out.append(" | ").append(name));
        out.append(" | all |\n|---:|---:|---:").append("|---:".repeat(shown.size() + 1)).append("|\n");
        out.append(String.format(Locale.ROOT, "| %.0f | %d | %d", r.perSecond(), percentile(r.latencyMs(), 50),
                percentile(r.latencyMs(), 99)));
        shown.forEach(name -> out.append(String.format(Locale.ROOT, " | %.2f", r.cpuMsPerEvent().getOrDefault(name, 0.0))));
        out.append(String.format(Locale.ROOT, " | %.2f |%n", r.cpuMsPerEvent().values().stream()
                .mapToDouble(Double::doubleValue).sum()));
        return out.toString();
    }

    private static String rateReport(List<EndToEndRate.Phase> phases, int tasks) {
        StringBuilder out = new StringBuilder("\n### End to end: events per second through the real platform\n\n");
        out.append(tasks).append(" tasks created by 8 clients at once, then all completed the same way; an event ")
                .append("counts once its function's effect is in (the task's watermark applied). Stages from the rows ")
                .append("each event left: the outbox row (written, published by the relay through daprd) and the ")
                .append("watermark in Dapr's state table (claimed by the handler, applied); published → handler is ")
                .append("Kafka, the gateway's daprd, the gateway and its forward. ms, p50 / p99.\n\n")
                .append("| events | rate | API answer | outbox → published | published → handler | handler | total |\n")
                .append("|---|---:|---:|---:|---:|---:|---:|\n");
        for (EndToEndRate.Phase p : phases) {
            out.append("| ").append(p.name()).append(String.format(" | %.0f/s", p.perSecond()));
            p.stages().values().forEach(v -> out.append(" | ").append(percentile(v, 50)).append(" / ")
                    .append(percentile(v, 99)));
            out.append(" |\n");
        }
        out.append("\nCPU per event, by process (ms), and what the machine's 2 cores allow at that cost: the whole ")
                .append("topology shares them here, where a cluster gives each pod its own.\n\n| process");
        phases.forEach(p -> out.append(" | ").append(p.name()));
        out.append(" |\n|---").append("|---:".repeat(phases.size())).append("|\n");
        Map<String, Double> first = phases.get(0).cpuMs();
        List<String> names = first.keySet().stream()
                .sorted((a, b) -> Double.compare(first.get(b), first.get(a))).toList();
        for (String name : names) {
            if (phases.stream().allMatch(p -> p.cpuMs().getOrDefault(name, 0.0) / p.events() < 0.05)) {
                continue;
            }
            out.append("| ").append(name);
            phases.forEach(p -> out.append(String.format(" | %.2f", p.cpuMs().getOrDefault(name, 0.0) / p.events())));
            out.append(" |\n");
        }
        out.append("| **all**");
        phases.forEach(p -> out.append(String.format(" | **%.2f**", total(p) / p.events())));
        out.append(" |\n| 2 cores ÷ that");
        phases.forEach(p -> out.append(String.format(" | %.0f/s", 2000 / (total(p) / p.events()))));
        out.append(" |\n\nThe CPU is counted over each phase's whole window (from the first request to the last effect), ")
                .append("so what runs anyway meanwhile is in it too: the gateway's maintenance jobs every minute, Kafka's, ")
                .append("daprd's and the JVMs' own timers and compilation.\n");
        return out.toString();
    }

    private static double total(EndToEndRate.Phase phase) {
        return phase.cpuMs().values().stream().mapToDouble(Double::doubleValue).sum();
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
