package com.todo.embedded;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL server that a killed process left running on a data folder: a SIGKILL (or the OOM killer) ends the
 * JVM but not its server, which the OS hands to PID 1 and which keeps {@code postmaster.pid} locked, so the next
 * start would fail. Found by that file's PID, checked to be a postgres serving this very folder, and shut down.
 */
final class StaleServer {

    private static final Logger LOG = LoggerFactory.getLogger(StaleServer.class);

    private StaleServer() {
    }

    static void stop(Path dataDirectory) throws IOException {
        Optional<ProcessHandle> server = find(dataDirectory);
        if (server.isEmpty()) {
            return;
        }
        ProcessHandle postmaster = server.get();
        LOG.warn("stopping PostgreSQL {} left running on {} by a process that ended without stopping it",
                postmaster.pid(), dataDirectory);
        // SIGTERM is PostgreSQL's smart shutdown: it finishes, writing a checkpoint; its clients are gone already
        postmaster.destroy();
        try {
            postmaster.onExit().get(30, TimeUnit.SECONDS);
        } catch (Exception notInTime) {
            postmaster.descendants().forEach(ProcessHandle::destroyForcibly);
            postmaster.destroyForcibly();
            postmaster.onExit().orTimeout(10, TimeUnit.SECONDS).join();
        }
    }

    /** The live postmaster whose lock file is in the folder; empty if none or if the PID is another program's now. */
    static Optional<ProcessHandle> find(Path dataDirectory) throws IOException {
        Path lock = dataDirectory.resolve("postmaster.pid");
        if (!Files.isRegularFile(lock)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(lock);
        if (lines.size() < 2) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).strip());
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        Path folder = dataDirectory.toAbsolutePath().normalize();
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false))
                .filter(p -> Path.of(lines.get(1).strip()).toAbsolutePath().normalize().equals(folder));
    }
}
