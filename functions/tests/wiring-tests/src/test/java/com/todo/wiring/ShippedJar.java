package com.todo.wiring;

import com.todo.bench.Bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * One deployable's runnable jar, started as its image starts it: {@code java -jar app.jar} on JDK 25 with the tuned
 * flags of knative/Dockerfile, configured by the environment alone (nothing inherited from the build's environment
 * but PATH), with the variables a Kubernetes pod always has.
 */
final class ShippedJar implements AutoCloseable {

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** What every pod's environment carries; Micronaut deduces its "k8s" environment from it. */
    private static final Map<String, String> POD = Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1",
            "KUBERNETES_SERVICE_PORT", "443", "HOSTNAME", "shipped-jar-test");

    final String deployable;
    final int port;
    private final Process process;
    private final Path log;

    private ShippedJar(String deployable, int port, Process process, Path log) {
        this.deployable = deployable;
        this.port = port;
        this.process = process;
        this.log = log;
    }

    /** JDK 25, as in the images: $JAVA25_HOME, else the first JDK 25 under /usr/lib/jvm (scripts/java25.sh). */
    static Optional<Path> java25() {
        String home = System.getenv("JAVA25_HOME");
        if (home != null && !home.isBlank()) {
            return Optional.of(Path.of(home, "bin", "java"));
        }
        try (Stream<Path> jvms = Files.list(Path.of("/usr/lib/jvm"))) {
            return jvms.filter(p -> p.getFileName().toString().contains("25")).sorted()
                    .map(p -> p.resolve("bin/java")).filter(Files::isExecutable).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static Path jar(String deployable) {
        return Repo.path("functions/" + deployable + "/target/" + deployable + "-0.1.0-SNAPSHOT-all.jar");
    }

    /** Starts the jar and waits until it serves HTTP (its liveness route), or fails with its log. */
    static ShippedJar start(String deployable, Map<String, String> environment, List<String> moreJvmFlags)
            throws Exception {
        int port = freePort();
        Path log = Files.createTempFile("shipped-" + deployable + "-", ".log");
        ShippedJar jar = new ShippedJar(deployable, port, launch(deployable, environment, moreJvmFlags, port, log), log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            if (!jar.process.isAlive()) {
                fail(deployable + " exited with " + jar.process.exitValue() + " before serving:\n" + jar.log());
            }
            try {
                if (jar.get("/health/liveness").statusCode() == 200) {
                    return jar;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                jar.close();
                fail(deployable + " did not serve within 60 s:\n" + jar.log());
            }
            Thread.sleep(50);
        }
    }

    /** Starts a jar expected to refuse to start: its exit code, once it has exited (its output goes to log). */
    static int exitCode(String deployable, Map<String, String> environment, Path log) throws Exception {
        Process p = launch(deployable, environment, List.of(), freePort(), log);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(deployable + " kept running:\n" + Files.readString(log));
        }
        return p.exitValue();
    }

    private static Process launch(String deployable, Map<String, String> environment, List<String> moreJvmFlags,
                                  int port, Path log) throws IOException {
        Path java = java25().orElseThrow(() -> new IllegalStateException("no JDK 25 (set JAVA25_HOME)"));
        List<String> command = new ArrayList<>(List.of(java.toString()));
        command.addAll(Bench.TUNED_FLAGS);
        command.addAll(moreJvmFlags);
        command.addAll(List.of("-jar", jar(deployable).toString()));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().clear();
        pb.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        pb.environment().putAll(POD);
        pb.environment().putAll(environment);
        pb.environment().put("PORT", String.valueOf(port));
        return pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).GET());
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** The names of the process's live threads (jcmd's thread dump, from the same JDK). */
    String threadDump() throws IOException, InterruptedException {
        Path jcmd = java25().orElseThrow().resolveSibling("jcmd");
        Process dump = new ProcessBuilder(jcmd.toString(), String.valueOf(process.pid()), "Thread.print")
                .redirectErrorStream(true).start();
        String out = new String(dump.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        dump.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
