package com.todo.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * {@code scripts/run-cluster.sh}: the production topology on this machine, configured like local mode by the
 * environment ({@code PORT}, {@code TODO_DATA_DIR}, {@code TODO_JWT_SECRET}, {@code JDBC_URL}, {@code JDBC_USER},
 * {@code JDBC_PASSWORD}); runs until Ctrl-C, then stops every process it started.
 */
public final class ClusterMain {

    /** The images' JVM flags (knative/Dockerfile), without their AOT cache, which only an image build trains. */
    public static final List<String> IMAGE_FLAGS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k",
            "-XX:MaxRAMPercentage=70", "-Djfr.unsupported.vm=true", "-Djavax.net.ssl.trustStore=NONE");

    private ClusterMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        long started = System.nanoTime();
        Platform platform = Platform.locate();
        Path dataDir = platform.repository().resolve(env("TODO_DATA_DIR", ".cluster")).normalize();
        Path logDir = dataDir.resolve("logs");
        String jwtSecret = Optional.ofNullable(System.getenv("TODO_JWT_SECRET")).filter(v -> !v.isBlank())
                .orElseGet(() -> ClusterTopology.secret(dataDir.resolve("jwt-secret")));
        ClusterTopology.Settings settings = new ClusterTopology.Settings(dataDir, logDir,
                Integer.parseInt(env("PORT", "8080")), jwtSecret, appJava(), IMAGE_FLAGS,
                System.getenv("JDBC_URL"), env("JDBC_USER", "postgres"), env("JDBC_PASSWORD", ""));
        System.out.println("logs: " + logDir);
        ClusterTopology topology = ClusterTopology.start(platform, settings, line -> System.out.println("  " + line));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("stopping every process...");
            topology.close();
            stopped.countDown();
        }, "cluster-shutdown"));
        String url = "http://localhost:" + settings.apiPort();
        String tokenCommand = "TODO_DATA_DIR=" + env("TODO_DATA_DIR", ".cluster") + " scripts/dev-token.sh alice";
        System.out.printf("""

                todo-functions is running (cluster topology: 8 jars, 8 daprd, scheduler, Kafka), ready in %.1f s
                  API        %s/api/v1/tasks
                  health     %s/health/readiness
                  logs       %s
                  token      TOKEN=$(%s)   then   curl -H "Authorization: Bearer $TOKEN" %s/api/v1/tasks
                Stop with Ctrl-C.
                %n""", (System.nanoTime() - started) / 1e9, url, url, logDir, tokenCommand, url);
        stopped.await();
    }

    /** JDK 25 as in the images ($JAVA25_HOME, else /usr/lib/jvm/*25*), else this JVM. */
    public static Path appJava() {
        String home = System.getenv("JAVA25_HOME");
        if (home != null && !home.isBlank()) {
            return Path.of(home, "bin", "java");
        }
        try (Stream<Path> jvms = Files.list(Path.of("/usr/lib/jvm"))) {
            Optional<Path> java25 = jvms.filter(p -> p.getFileName().toString().contains("25")).sorted()
                    .map(p -> p.resolve("bin/java")).filter(Files::isExecutable).findFirst();
            if (java25.isPresent()) {
                return java25.get();
            }
        } catch (IOException noJvmFolder) {
            // fall through
        }
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
