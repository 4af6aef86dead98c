package com.todo.bench;

import com.todo.fake.FakeDaprSidecar;
import com.todo.reminders.TaskWatermarks;
import com.todo.reminders.Watermark;
import com.todo.embedded.EmbeddedDatabase;
import com.todo.events.EventType;
import com.todo.events.TaskSnapshot;
import com.todo.domain.Migrate;
import com.sun.net.httpserver.HttpServer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The benchmark driver (scripts/bench.sh): launches each function jar as in production, in its own process, against
 * a fake sidecar, a stub of the gateway's schedules API and embedded PostgreSQL, and measures it from outside:
 * cold start to the first handled request (several runs), RSS, and warm throughput and latency from this process as
 * the load generator. The JVM floor (a plain JDK HTTP server) is measured in the same run.
 */
public final class Bench {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /**
     * The tuned flags, as knative/Dockerfile and knative/*.yaml carry them (a wiring test keeps them equal). Why no
     * AOTReplayTraining: replaying the training run's compilations at startup kept C1 busy for ~250 ms more CPU while
     * the function started on the same 2 cores; without it the first event came 50-110 ms sooner (interleaved A/B).
     * Why no Flight Recorder: Micronaut's HTTP server registers a JFR event on its first request, which loads JFR's
     * metadata (~15 ms on the event loop, inside the first event); the property makes JFR unavailable, so registering
     * is a no-op. Why no trusted certificates: the JDK HttpClient (ours and the Dapr SDK's) loads the default
     * SSLContext, and cacerts' ~140 certificates cost ~15 ms of the cold start; no function makes a TLS connection
     * through the JDK trust store (daprd, the gateway and the functions speak plain HTTP inside the pod or cluster).
     */
    public static final List<String> TUNED_FLAGS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k",
            "-XX:MaxRAMPercentage=70", "-XX:+UnlockDiagnosticVMOptions", "-XX:-AOTReplayTraining",
            "-Djfr.unsupported.vm=true", "-Djavax.net.ssl.trustStore=NONE");
    /** The path every knative/*.yaml probes for readiness (a wiring test checks the Services use /health). */
    private static final String READINESS = "/health/readiness";
    private static final String SECRET = "bench-secret-bench-secret-bench-secret-0";
    private static final java.util.Set<String> DATABASE_TARGETS = java.util.Set.of("task-api", "reminder-due",
            "recurring-scheduled");

    private final Path repo;
    private final int runs;
    private final int requests;
    private final int warmup;
    private final int concurrency;
    private final Map<String, List<String>> jvms = new LinkedHashMap<>();
    private final FakeDaprSidecar sidecar = new FakeDaprSidecar().start();
    private final EmbeddedDatabase database = EmbeddedDatabase.shared();
    private final String jdbcUrl = database.newDatabase();
    private final HttpServer schedules;
    private final Path work;
    /** Set by {@link Train}: the function jar where the image has it. */
    String jarOverride;
    private Connection seedConnection;
    private final AtomicInteger schedulesCalls = new AtomicInteger();
    /** Per JVM setup, the floor's target and flags (its trained cache included), once the floor row is measured. */
    private final Map<String, Map.Entry<Target, List<String>>> floors = new LinkedHashMap<>();

    Bench(Path repo, int runs, int requests, int warmup, int concurrency, String java25) throws IOException {
        this.repo = repo;
        this.runs = runs;
        this.requests = requests;
        this.warmup = warmup;
        this.concurrency = concurrency;
        this.work = Files.createTempDirectory("todo-bench");
        jvms.put("JDK 17, default flags", List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (java25 != null) {
            List<String> tuned = new ArrayList<>(List.of(Path.of(java25, "bin", "java").toString()));
            tuned.addAll(TUNED_FLAGS);
            tuned.add("-XX:AOTMode=on");
            jvms.put("JDK 25, tuned + AOT cache", tuned);
            String variant = System.getProperty("variant", "").trim();
            if (!variant.isEmpty()) { // a flag to try: a third setup, the tuned one plus these flags (cache and floor too)
                List<String> tried = new ArrayList<>(tuned);
                tried.addAll(1, List.of(variant.split("\\s+")));
                jvms.put("JDK 25, tuned + AOT cache + " + variant, tried);
            }
        }
        Migrate.run(jdbcUrl, EmbeddedDatabase.USER, "");
        schedules = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        schedules.createContext("/schedules/", exchange -> {
            schedulesCalls.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        schedules.setExecutor(Executors.newFixedThreadPool(4));
        schedules.start();
    }

    public static void main(String[] args) throws Exception {
        try {
            run(args);
        } catch (Exception e) {
            // the stand-ins' threads (fake sidecar, schedules stub, database) would keep this JVM waiting for ever
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    private static void run(String[] args) throws Exception {
        // the schedules stub is a JDK server: without it each reply waits on Nagle + delayed ACK (~40 ms)
        System.setProperty("sun.net.httpserver.nodelay", "true");
        Path repo = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        int runs = Integer.getInteger("runs", 5);
        Bench bench = new Bench(repo, runs, Integer.getInteger("requests", 3000), Integer.getInteger("warmup", 5000),
                Integer.getInteger("concurrency", 8), System.getProperty("java25"));
        Path report = repo.resolve("docs/benchmarks.md");
        Map<String, double[]> published = Files.exists(report) ? Report.published(report) : Map.of();
        List<Result> results = bench.measureAll();
        boolean partial = !System.getProperty("only", "").isBlank() || !System.getProperty("variant", "").isBlank();
        boolean compare = List.of("1", "true").contains(System.getProperty("compare", ""));
        // a partial run (ONLY=...) is for trying a change, a COMPARE=1 run for checking the published numbers: both
        // print their tables and leave the published report alone
        Path out = partial || compare ? bench.work : repo.resolve("docs");
        double[] lateness = partial ? new double[]{Double.NaN, Double.NaN, Double.NaN, Double.NaN}
                : bench.reminderLateness();
        Report.write(out, Runtime.getRuntime().availableProcessors(), results, bench.jvms.keySet(), runs, bench.requests,
                bench.warmup, bench.concurrency, lateness);
        System.out.println(Files.readString(out.resolve("benchmarks.md")));
        if (compare) {
            System.out.println(Report.compare(published, results));
        }
    }

    /**
     * One target under one JVM setup. floorMs: the JVM floor's cold starts interleaved with this row's (one right
     * before each), so that the ratio compares starts made in the same minute of a noisy machine; the floor row's are
     * its own. rssFirstAotKb: of rssFirstKb, the AOT cache's resident pages (clean or written at start). rssWarmFileKb:
     * the part of RSS that maps files unchanged (the jar, the AOT cache's clean pages), which the kernel can drop and
     * reload.
     */
    record Result(String target, String jvm, List<Double> coldStartMs, List<Double> floorMs, long rssFirstKb,
                  long rssFirstAotKb, long rssWarmKb, long rssWarmFileKb, double throughput, double p50, double p95,
                  double p99, Phases phases, Cost cost) {
    }

    /**
     * Medians over the cold starts: Micronaut's startup and the first handler (ms, from the function's own log), and
     * the CPU time all the process's threads had used when the first answer came (ms, from the kernel).
     */
    record Phases(double micronautStartMs, double firstHandlerMs, double cpuMs) {
    }

    /** Per request of the measured load: CPU ms of each process, and calls to the sidecar and the schedules API. */
    record Cost(double functionCpuMs, double harnessCpuMs, double postgresCpuMs, double sidecarCalls,
                double schedulesCalls) {
        double totalCpuMs() {
            return functionCpuMs + harnessCpuMs + postgresCpuMs;
        }
    }

    private static final java.util.regex.Pattern STARTUP = java.util.regex.Pattern.compile("Startup completed in (\\d+)ms");
    private static final java.util.regex.Pattern HANDLED = java.util.regex.Pattern.compile("outcome=\\w+ ms=(\\d+)");

    private List<Result> measureAll() throws Exception {
        List<Result> results = new ArrayList<>();
        String only = System.getProperty("only", "");
        for (Target target : targets()) {
            if (!only.isBlank() && !target.name().equals("JVM floor")
                    && !List.of(only.split(",")).contains(target.name())) {
                continue;
            }
            for (Map.Entry<String, List<String>> jvm : jvms.entrySet()) {
                System.out.printf("%s / %s%n", target.name(), jvm.getKey());
                List<String> flags = new ArrayList<>(jvm.getValue());
                flags.add(1, podMemory(target.name())); // the JVM sees its pod's limit, as in the container
                if (flags.contains("-XX:AOTMode=on")) {
                    // one cache per setup: a VARIANT's training must not replace the tuned setup's cache, which
                    // the floor's cold starts before each of a function's go on using (they failed with an
                    // incompatible flag, and used the variant's cache with a compatible one)
                    Path cache = work.resolve(target.name() + "." + List.copyOf(jvms.keySet()).indexOf(jvm.getKey())
                            + ".aot");
                    train(target, flags, cache);
                    flags.add("-XX:AOTCache=" + cache);
                }
                results.add(measure(target, jvm.getKey(), flags));
            }
        }
        return withAllFloorStarts(results);
    }

    /**
     * The JVM floor's row counts every floor cold start of its setup in the run: its own and the one before each of a
     * function's. A median of ~60 ms over 5 starts moved by a quarter between runs; over all of them it holds.
     */
    static List<Result> withAllFloorStarts(List<Result> results) {
        List<Result> merged = new ArrayList<>();
        for (Result r : results) {
            if (!r.target().equals("JVM floor")) {
                merged.add(r);
                continue;
            }
            List<Double> all = new ArrayList<>(r.coldStartMs());
            results.stream().filter(o -> o.jvm().equals(r.jvm()) && !o.target().equals("JVM floor"))
                    .forEach(o -> all.addAll(o.floorMs()));
            merged.add(new Result(r.target(), r.jvm(), all, all, r.rssFirstKb(), r.rssFirstAotKb(), r.rssWarmKb(),
                    r.rssWarmFileKb(), r.throughput(), r.p50(), r.p95(), r.p99(), r.phases(), r.cost()));
        }
        return merged;
    }

    List<Target> targets() {
        List<Target> targets = new ArrayList<>();
        String floorJar = jar("bench");
        targets.add(new Target("JVM floor", List.of("-cp", floorJar, Floor.class.getName()), "/", "application/json",
                Map.of(), n -> "{}".getBytes(StandardCharsets.UTF_8)));
        targets.add(event("task-created", n -> Target.taskEvent(EventType.TASK_CREATED, Target.firstVersion(n))));
        for (String f : List.of("task-updated", "task-completed", "task-deleted")) {
            EventType type = EventType.valueOf(f.toUpperCase(Locale.ROOT).replace('-', '_'));
            targets.add(event(f, n -> Target.taskEvent(type, Target.secondVersion(appliedFirstVersion(n), type))));
        }
        targets.add(event("reminder-due", n -> {
            UUID[] r = seedReminder();
            return Target.reminderDue(r[0], r[1], Instant.parse("2030-01-01T08:50:00Z"));
        }));
        targets.add(event("recurring-scheduled", Target::recurringScheduled));
        targets.add(new Target("task-api", List.of("-jar", jar("task-api")), "/api/v1/tasks", "application/json",
                Map.of("Authorization", "Bearer " + token()), Target::newTask));
        return targets;
    }

    private Target event(String function, java.util.function.IntFunction<byte[]> events) {
        return new Target(function, List.of("-jar", jar(function)), "/" + function, "application/cloudevents+json",
                Map.of(), events);
    }

    private String jar(String module) {
        if (jarOverride != null && !module.equals("bench")) {
            return jarOverride;
        }
        String folder = module.equals("bench") ? "tools/bench" : module; // the runnables sit in functions/ itself
        return repo.resolve("functions/" + folder + "/target/" + module + "-0.1.0-SNAPSHOT-all.jar").toString();
    }

    private Map<String, String> environment(int port) {
        Map<String, String> env = new HashMap<>();
        env.put("PORT", String.valueOf(port));
        env.put("DAPR_GRPC_PORT", String.valueOf(sidecar.port()));
        env.put("DAPR_HTTP_PORT", String.valueOf(sidecar.httpPort()));
        env.put("TODO_SCHEDULES_URL", "http://localhost:" + schedules.getAddress().getPort());
        env.put("JDBC_URL", jdbcUrl);
        env.put("JDBC_USER", EmbeddedDatabase.USER);
        env.put("TODO_JWT_SECRET", SECRET);
        env.put("TODO_OUTBOX_RETRY_INTERVAL", "1h");
        return env;
    }

    private Process launch(Target target, List<String> jvm, int port) throws IOException {
        List<String> command = new ArrayList<>(jvm);
        command.addAll(target.launch());
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(environment(port));
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log(target).toFile()));
        return pb.start();
    }

    /**
     * A training run writes the AOT cache: the function starts against the fake sidecar, the schedules stub and the
     * database, handles a few hundred requests and exits cleanly. knative/Dockerfile runs the same ({@link Train}).
     */
    void train(Target target, List<String> jvm, Path cache) throws Exception {
        List<String> training = new ArrayList<>(jvm);
        training.remove("-XX:AOTMode=on");
        training.add("-XX:AOTCacheOutput=" + cache);
        int port = freePort();
        byte[] first = target.request().apply(0);
        Process p = launch(target, training, port);
        firstOk(target, port, p, first);
        load(target, port, 300, 4);
        exitTraining(target.name(), p, cache);
    }

    /** For a deployable the benchmark does not load (event-gateway): a training run of its startup alone. */
    void trainStartup(String name, List<String> jvm, Path cache) throws Exception {
        List<String> training = new ArrayList<>(jvm);
        training.add("-XX:AOTCacheOutput=" + cache);
        int port = freePort();
        Process p = launch(new Target(name, List.of("-jar", jar(name)), "/health", "", Map.of(), n -> new byte[0]),
                training, port);
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!healthy(port)) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " never became healthy; see " + work);
            }
            Thread.sleep(50);
        }
        exitTraining(name, p, cache);
    }

    /** Stops a training run cleanly: the JVM writes its AOT cache on the way out. */
    private void exitTraining(String name, Process p, Path cache) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(120, TimeUnit.SECONDS) || !Files.exists(cache)) {
            p.destroyForcibly();
            throw new IllegalStateException(name + ": the training run wrote no AOT cache; see " + work);
        }
    }

    private static boolean healthy(int port) throws InterruptedException {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/health")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    private Result measure(Target target, String jvmName, List<String> jvm) throws Exception {
        List<Double> cold = new ArrayList<>();
        boolean isFloor = target.name().equals("JVM floor"); // measured first under each setup (targets())
        if (isFloor) {
            floors.put(jvmName, Map.entry(target, jvm));
        }
        Map.Entry<Target, List<String>> floor = isFloor ? null : floors.get(jvmName);
        List<Double> floorCold = isFloor ? cold : new ArrayList<>();
        List<Double> startups = new ArrayList<>();
        List<Double> handlers = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        long rssFirst = 0;
        long rssFirstAot = 0;
        Path log = log(target);
        for (int run = 0; run < runs; run++) {
            if (floor != null) {
                floorCold.add(coldStart(floor.getKey(), floor.getValue()));
            }
            int port = freePort();
            long logStart = Files.exists(log) ? Files.size(log) : 0;
            byte[] first = target.request().apply(0);
            long start = System.nanoTime();
            Process p = launch(target, jvm, port);
            firstOk(target, port, p, first);
            cold.add((System.nanoTime() - start) / 1e6);
            cpu.add(cpuMs(p.toHandle()));
            long rss = rss(p);
            if (rss > rssFirst) {
                rssFirst = rss;
                rssFirstAot = aotCacheResident(p);
            }
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            String output = Files.readString(log).substring((int) logStart);
            startups.add(firstNumber(STARTUP, output));
            handlers.add(firstNumber(HANDLED, output));
        }
        int port = freePort();
        byte[] first = target.request().apply(0);
        Process p = launch(target, jvm, port);
        try {
            firstOk(target, port, p, first);
            if (!isFloor) {
                requireRealReadiness(target, port);
            }
            // long enough for the JIT to have compiled the request path (docs/benchmarks.md, "Warm throughput")
            load(target, port, warmup, concurrency);
            byte[][] bodies = bodies(target, requests);
            double[] before = costCounters(p);
            long[] latencies = load(target, port, bodies, concurrency);
            double[] after = costCounters(p);
            long rssWarm = rss(p);
            long rssWarmFile = status(p, "RssFile:") + status(p, "RssShmem:");
            Cost cost = new Cost((after[0] - before[0]) / requests, (after[1] - before[1]) / requests,
                    (after[2] - before[2]) / requests, (after[3] - before[3]) / requests,
                    (after[4] - before[4]) / requests);
            double seconds = latencies[latencies.length - 1] / 1e9;
            long[] sorted = java.util.Arrays.copyOf(latencies, latencies.length - 1);
            java.util.Arrays.sort(sorted);
            return new Result(target.name(), jvmName, cold, floorCold, rssFirst, rssFirstAot, rssWarm, rssWarmFile,
                    requests / seconds, pct(sorted, 50), pct(sorted, 95), pct(sorted, 99),
                    new Phases(Report.median(startups), Report.median(handlers), Report.median(cpu)), cost);
        } finally {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** One cold start of the floor: process start → first answer (ms). */
    private double coldStart(Target target, List<String> jvm) throws Exception {
        int port = freePort();
        byte[] first = target.request().apply(0);
        long start = System.nanoTime();
        Process p = launch(target, jvm, port);
        try {
            firstOk(target, port, p, first);
            return (System.nanoTime() - start) / 1e6;
        } finally {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** CPU ms so far of the function, of this process (load generator and fakes) and of PostgreSQL; call counts. */
    private double[] costCounters(Process function) {
        double postgres = ProcessHandle.allProcesses()
                .filter(ph -> ph.info().command().map(c -> c.endsWith("/postgres")).orElse(false))
                .mapToDouble(Bench::cpuMs).sum();
        return new double[]{cpuMs(function.toHandle()), cpuMs(ProcessHandle.current()), postgres, sidecar.calls(),
                schedulesCalls.get()};
    }

    private static double cpuMs(ProcessHandle process) {
        return process.info().totalCpuDuration().map(d -> d.toNanos() / 1e6).orElse(Double.NaN);
    }

    private static double firstNumber(java.util.regex.Pattern pattern, String output) {
        java.util.regex.Matcher m = pattern.matcher(output);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    private Path log(Target target) {
        return work.resolve(target.name().replace(' ', '-') + ".log");
    }

    /** {@code -XX:MaxRAM} for the memory limit of the function's Knative Service (192 MB for the JVM floor). */
    private String podMemory(String target) throws IOException {
        Path service = repo.resolve("knative/" + target + ".yaml");
        if (!Files.exists(service)) {
            return "-XX:MaxRAM=192m";
        }
        java.util.regex.Matcher limit = java.util.regex.Pattern.compile("limits: \\{memory: (\\d+)Mi}")
                .matcher(Files.readString(service));
        if (!limit.find()) {
            throw new IllegalStateException(service + " has no memory limit");
        }
        return "-XX:MaxRAM=" + limit.group(1) + "m";
    }

    private static double pct(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * p / 100.0) - 1)] / 1e6;
    }

    /** Polls with one request body, built before the process started: building it is the harness's work. */
    /**
     * As Knative brings up a pod: its readiness route is probed until it answers 200 (the queue-proxy probes
     * aggressively at startup), and only then is the first request delivered, until it is handled.
     */
    private void firstOk(Target target, int port, Process p, byte[] body) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        HttpRequest readiness = HttpRequest.newBuilder(URI.create("http://localhost:" + port + READINESS)).build();
        untilOk(target, p, deadline, () -> HTTP.send(readiness, HttpResponse.BodyHandlers.discarding()).statusCode());
        untilOk(target, p, deadline, () -> send(target, port, body).statusCode());
    }

    /**
     * The readiness the cold starts waited for checked the sidecar and, where there is one, the database: a jar whose
     * checks are missing would answer 200 at once and make its cold starts look shorter than a pod's.
     */
    private void requireRealReadiness(Target target, int port) throws IOException, InterruptedException {
        String body = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + READINESS)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        List<String> needed = new ArrayList<>(List.of("dapr-sidecar"));
        if (DATABASE_TARGETS.contains(target.name())) {
            needed.add("database");
        }
        for (String check : needed) {
            if (!body.contains("\"" + check + "\"")) {
                throw new IllegalStateException(target.name() + "'s readiness does not check " + check + ": " + body);
            }
        }
    }

    private interface Status {
        int get() throws IOException, InterruptedException;
    }

    private void untilOk(Target target, Process p, long deadline, Status status) throws Exception {
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException(target.name() + " exited; see " + work);
            }
            try {
                if (status.get() / 100 == 2) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException(target.name() + " never answered; see " + work);
    }

    private long[] load(Target target, int port, int count, int workers) throws Exception {
        return load(target, port, bodies(target, count), workers);
    }

    /**
     * The bodies of {@code count} requests, built before any is sent: a reminder-due request needs its task seeded in
     * the database first, which is the harness's work and must not be timed as the function's.
     */
    private static byte[][] bodies(Target target, int count) {
        byte[][] bodies = new byte[count][];
        for (int i = 0; i < count; i++) {
            bodies[i] = target.request().apply(i + 1);
        }
        return bodies;
    }

    /** @return per-request latencies in ns, and the total wall time as the last element */
    private long[] load(Target target, int port, byte[][] bodies, int workers) throws Exception {
        int count = bodies.length;
        long[] latencies = new long[count + 1];
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        long start = System.nanoTime();
        List<Future<?>> jobs = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            jobs.add(pool.submit(() -> {
                int i;
                while ((i = next.getAndIncrement()) < count) {
                    long t = System.nanoTime();
                    HttpResponse<Void> r = send(target, port, bodies[i]);
                    latencies[i] = System.nanoTime() - t;
                    if (r.statusCode() / 100 != 2) {
                        throw new IllegalStateException(target.name() + " answered " + r.statusCode());
                    }
                }
                return null;
            }));
        }
        for (Future<?> job : jobs) {
            job.get();
        }
        latencies[count] = System.nanoTime() - start;
        pool.shutdown();
        return latencies;
    }

    private HttpResponse<Void> send(Target target, int port, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + target.route()))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", target.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        target.headers().forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding());
    }

    /**
     * One connection for all the seeding (a connection per seed would start a PostgreSQL backend each time). Bodies
     * are built on the driving thread before a load starts, so seeding is never concurrent.
     */
    private Connection seedConnection() throws java.sql.SQLException {
        if (seedConnection == null) {
            seedConnection = DriverManager.getConnection(jdbcUrl, EmbeddedDatabase.USER, "");
        }
        return seedConnection;
    }

    /** A task with a reminder in the database, for one reminder-due request. */
    /** A task's first version as task-created leaves it in the state store: applied, its reminder scheduled. */
    private TaskSnapshot appliedFirstVersion(int n) {
        TaskSnapshot v1 = Target.firstVersion(n);
        TaskSnapshot.Reminder r = v1.reminders().get(0);
        sidecar.putState(TaskWatermarks.key(v1.id()), TaskWatermarks.write(new Watermark(1, true, false, Instant.now(),
                Map.of(), Map.of(r.id().toString(), r.remindAt()))));
        return v1;
    }

    private UUID[] seedReminder() {
        UUID task = UUID.randomUUID();
        UUID reminder = UUID.randomUUID();
        try {
            Connection c = seedConnection();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO tasks (id, user_id, title, status, priority, "
                    + "time_zone, version, created_at, updated_at, due_at) VALUES (?, 'bench', 'Bench task', 'pending', "
                    + "'medium', 'UTC', 1, now(), now(), ?)")) {
                ps.setObject(1, task);
                ps.setTimestamp(2, Timestamp.from(Instant.parse("2030-01-01T09:00:00Z")));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO reminders (id, task_id, position, before_offset, "
                    + "remind_at) VALUES (?, ?, 0, 'PT10M', ?)")) {
                ps.setObject(1, reminder);
                ps.setObject(2, task);
                ps.setTimestamp(3, Timestamp.from(Instant.parse("2030-01-01T08:50:00Z")));
                ps.executeUpdate();
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        return new UUID[]{task, reminder};
    }

    /** Local mode: due time → notification, over 50 reminders (ms: p50, p95, p99, max). */
    private double[] reminderLateness() throws Exception {
        System.out.println("reminder lateness (local mode)");
        int port = freePort();
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar("local-runtime"));
        pb.environment().putAll(Map.of("PORT", String.valueOf(port), "TODO_DATA_DIR", work.resolve("local").toString(),
                "TODO_JWT_SECRET", SECRET, "TODO_SUBSCRIPTIONS_DIR", repo.resolve("dapr-components/subscriptions").toString()));
        pb.redirectErrorStream(true);
        pb.redirectOutput(work.resolve("local-mode.log").toFile());
        Process p = pb.start();
        try {
            Target api = new Target("local", List.of(), "/api/v1/tasks", "application/json",
                    Map.of("Authorization", "Bearer " + token()), n -> new byte[0]);
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (System.nanoTime() < deadline && !healthy(port)) {
                Thread.sleep(100);
            }
            Instant base = Instant.now().plusSeconds(8).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            for (int i = 0; i < 50; i++) {
                Instant at = base.plusMillis(200L * i);
                byte[] body = ("{\"title\": \"Lateness " + i + "\", \"reminders\": [{\"at\": \"" + at + "\"}]}")
                        .getBytes(StandardCharsets.UTF_8);
                HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + api.route()))
                        .header("Content-Type", "application/json").header("Authorization", "Bearer " + token())
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() != 201) {
                    throw new IllegalStateException("create answered " + r.statusCode());
                }
            }
            Thread.sleep(Duration.between(Instant.now(), base.plusSeconds(25)).toMillis());
            String list = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/notifications"))
                    .header("Authorization", "Bearer " + token()).build(), HttpResponse.BodyHandlers.ofString()).body();
            List<Double> late = new ArrayList<>();
            for (var n : com.todo.events.EventJson.MAPPER.readTree(list).get("items")) {
                late.add((double) Duration.between(Instant.parse(n.get("remindAt").asText()),
                        Instant.parse(n.get("createdAt").asText())).toMillis());
            }
            if (late.size() != 50) {
                throw new IllegalStateException(late.size() + " of 50 reminders notified");
            }
            Collections.sort(late);
            return new double[]{late.get(24), late.get(47), late.get(49), late.get(49)};
        } finally {
            // SIGTERM, so local mode stops its embedded PostgreSQL; a kill would leave the server running
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private static long rss(Process p) {
        return status(p, "VmRSS:");
    }

    /** The first line of a mapping in /proc/PID/smaps: its address range. */
    private static final java.util.regex.Pattern MAPPING = java.util.regex.Pattern.compile("[0-9a-f]+-[0-9a-f]+ ");

    /**
     * kB of the AOT cache's mapping that is resident (/proc/PID/smaps). The JVM maps the cache privately and relocates
     * it at start, so most of its pages count as anonymous memory in /proc/PID/status, not as a mapped file.
     */
    private static long aotCacheResident(Process p) {
        try {
            return aotCacheResident(Files.readAllLines(Path.of("/proc/" + p.pid() + "/smaps")));
        } catch (IOException e) {
            return 0; // not Linux: no figure
        }
    }

    /** @param smaps the lines of a /proc/PID/smaps: the Rss of every mapping of a file named *.aot, summed (kB) */
    static long aotCacheResident(List<String> smaps) {
        long kb = 0;
        boolean inCache = false;
        for (String line : smaps) {
            if (MAPPING.matcher(line).lookingAt()) {
                inCache = line.endsWith(".aot");
            } else if (inCache && line.startsWith("Rss:")) {
                kb += Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return kb;
    }

    /** A kB figure of /proc/PID/status (0 where there is none, e.g. not Linux). */
    private static long status(Process p, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + p.pid() + "/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException e) {
            // not Linux: no RSS figure
        }
        return 0;
    }

    private static String token() {
        try {
            Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
            String header = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
            long exp = Instant.now().getEpochSecond() + 3600;
            String payload = b64.encodeToString(("{\"sub\":\"bench\",\"exp\":" + exp + "}").getBytes(StandardCharsets.UTF_8));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String signature = b64.encodeToString(mac.doFinal((header + "." + payload).getBytes(StandardCharsets.UTF_8)));
            return header + "." + payload + "." + signature;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
