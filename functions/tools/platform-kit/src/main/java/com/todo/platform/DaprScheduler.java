package com.todo.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The Dapr scheduler (Jobs API) in standalone mode with its embedded etcd, everything on 127.0.0.1, as dapr's own
 * integration framework runs it. Its data stays in {@code dataDir}, so jobs survive a restart.
 */
public final class DaprScheduler implements AutoCloseable {

    private final ChildProcess process;
    private final int port;
    private final String healthz;

    private DaprScheduler(ChildProcess process, int port, String healthz) {
        this.process = process;
        this.port = port;
        this.healthz = healthz;
    }

    public static DaprScheduler start(Platform platform, Path dataDir, Path log) {
        int port = ChildProcess.freePort();
        int healthz = ChildProcess.freePort();
        int etcdPeer = ChildProcess.freePort();
        String id = "dapr-scheduler-server-0";
        try {
            Files.createDirectories(dataDir);
            // etcd refuses a data directory others can read
            Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChildProcess process = ChildProcess.start("scheduler", List.of(platform.scheduler().toString(),
                "--mode", "standalone",
                "--listen-address", "127.0.0.1", "--port", String.valueOf(port),
                "--healthz-listen-address", "127.0.0.1", "--healthz-port", String.valueOf(healthz),
                "--metrics-listen-address", "127.0.0.1", "--metrics-port", String.valueOf(ChildProcess.freePort()),
                "--id", id, "--etcd-initial-cluster", id + "=http://127.0.0.1:" + etcdPeer,
                "--etcd-client-listen-address", "127.0.0.1", "--etcd-client-port", String.valueOf(ChildProcess.freePort()),
                "--etcd-data-dir", dataDir.toString(),
                "--log-level", "info"), Map.of(), log);
        try {
            process.awaitHttp(healthzUrl(healthz), 200, Duration.ofSeconds(60));
        } catch (RuntimeException e) {
            process.close();
            throw e;
        }
        return new DaprScheduler(process, port, healthzUrl(healthz));
    }

    private static String healthzUrl(int port) {
        return "http://127.0.0.1:" + port + "/healthz";
    }

    /** Waits until the scheduler reports itself healthy (after a start or a restart). */
    public void awaitHealthy(Duration timeout) {
        process.awaitHttp(healthz, 200, timeout);
    }

    /** What daprd's {@code --scheduler-host-address} takes. */
    public String address() {
        return "127.0.0.1:" + port;
    }

    public ChildProcess process() {
        return process;
    }

    @Override
    public void close() {
        process.close();
    }
}
