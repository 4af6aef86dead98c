package com.todo.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A platform process (daprd, the scheduler, the broker, a function's jar) with its output in one log file; closing
 * it stops it as Kubernetes does: SIGTERM, a grace period, then SIGKILL.
 */
public final class ChildProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private static final Duration GRACE = Duration.ofSeconds(10);

    private final String name;
    private final ProcessBuilder builder;
    private final Path log;
    private volatile Process process;

    private ChildProcess(String name, ProcessBuilder builder, Process process, Path log) {
        this.name = name;
        this.builder = builder;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code command} with exactly {@code environment} (plus PATH and HOME): nothing of the caller's
     * environment leaks into a platform process.
     */
    public static ChildProcess start(String name, List<String> command, Map<String, String> environment, Path log) {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        builder.environment().put("HOME", System.getProperty("user.home"));
        builder.environment().putAll(environment);
        try {
            Files.createDirectories(log.getParent());
            Files.write(log, new byte[0]); // a new log per start; a restart appends to it
            builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            return new ChildProcess(name, builder, builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name + ": " + command.get(0), e);
        }
    }

    /** Waits until {@code GET url} answers {@code status}; fails with the log's end if the process exits first. */
    public ChildProcess awaitHttp(String url, int status, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).GET().build();
        int last = -1;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " before " + url
                        + " answered " + status + "; its log " + log + " ends with:\n" + tail(40));
            }
            try {
                last = HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (last == status) {
                    return this;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + name, e);
            }
            sleep(100);
        }
        throw new IllegalStateException(name + ": " + url + " did not answer " + status + " within " + timeout
                + " (last: " + last + "); its log " + log + " ends with:\n" + tail(40));
    }

    /** Waits for the process to exit on its own; its exit code. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(name + " still runs after " + timeout + "; log:\n" + tail(40));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return process.exitValue();
    }

    /**
     * SIGKILL to the process and everything it started, as when a pod's container is killed or its node fails; waits
     * until they are gone.
     */
    public void kill() {
        Process p = process;
        List<ProcessHandle> tree = new java.util.ArrayList<>(p.descendants().toList());
        tree.add(p.toHandle());
        tree.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle h : tree) {
            try {
                h.onExit().get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException(name + ": process " + h.pid() + " survived SIGKILL", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Starts the same command again, with the same environment and ports, its output appended to the same log. */
    public void restart() {
        if (process.isAlive()) {
            throw new IllegalStateException(name + " still runs");
        }
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not restart " + name, e);
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    /** Resident memory now, in KiB (Linux /proc). */
    public long rssKib() {
        return status("VmRSS");
    }

    /**
     * The anonymous part of {@link #rssKib()} (heap, stacks): what a memory limit cannot reclaim, unlike the pages of
     * the mapped binary or jar.
     */
    public long anonymousKib() {
        return status("RssAnon");
    }

    private long status(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no " + field + " for " + name);
    }

    public String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    public String tail(int lines) {
        List<String> all = logText().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * A port free now on the loopback interface, and never one this JVM handed out before: the processes bind
     * their ports a while after they are chosen, and the system may offer a port again until then.
     */
    public static int freePort() {
        while (true) {
            try (ServerSocket socket = new ServerSocket(0)) {
                if (HANDED_OUT.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
