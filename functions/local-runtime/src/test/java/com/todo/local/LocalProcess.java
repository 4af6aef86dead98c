package com.todo.local;

import java.io.IOException;
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

/** Local mode as {@code scripts/run-local.sh} starts it, in a child JVM on the test classpath, for the crash tests. */
final class LocalProcess {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private LocalProcess() {
    }

    /**
     * Starts {@link LocalMain} with these JVM flags and environment, appending its output to {@code log}, and waits
     * until {@code readyPath} answers 200.
     */
    static Process start(List<String> jvmFlags, Map<String, String> environment, int port, String readyPath, Path log)
            throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path")));
        command.addAll(jvmFlags);
        command.add(LocalMain.class.getName());
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("JDBC_URL");
        pb.environment().put("PORT", String.valueOf(port));
        pb.environment().put("TODO_SUBSCRIPTIONS_DIR", LocalSystem.subscriptionsDir().toString());
        pb.environment().putAll(environment);
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Process process = pb.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + readyPath)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return process;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        process.destroyForcibly();
        throw new AssertionError("local mode did not start:\n" + Files.readString(log));
    }

    static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
