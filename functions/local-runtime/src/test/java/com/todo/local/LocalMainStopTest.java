package com.todo.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ctrl-C of scripts/run-local.sh: the process stops, with the embedded database, instead of hanging. */
class LocalMainStopTest {

    @TempDir
    Path dataDir;

    @Test
    void aTerminatedLocalSystemExits() throws Exception {
        for (int attempt = 0; attempt < 3; attempt++) { // the hang was a race between two shutdown hooks
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), LocalMain.class.getName());
            pb.environment().put("TODO_DATA_DIR", dataDir.toString());
            pb.environment().put("PORT", "0");
            pb.environment().remove("JDBC_URL");
            pb.environment().remove("TODO_JWT_SECRET");
            pb.redirectErrorStream(true);
            Process process = pb.start();
            try {
                CompletableFuture<Boolean> ready = CompletableFuture.supplyAsync(() -> waitForReady(process));
                assertTrue(ready.get(120, TimeUnit.SECONDS), "local mode never reported ready");
                process.destroy(); // SIGTERM, as Ctrl-C's SIGINT: the JVM runs its shutdown hooks
                // seconds, not the pool's 30 s wait: the database must outlive the application's last flush
                assertTrue(process.waitFor(15, TimeUnit.SECONDS), "local mode did not exit within 15 s of SIGTERM");
            } finally {
                process.destroyForcibly();
            }
        }
    }

    /** Reads the output until the ready message, then keeps draining it so the process never blocks on a full pipe. */
    private static boolean waitForReady(Process process) {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        boolean ready = out.lines().anyMatch(line -> line.contains("is running (local mode)"));
        Thread drain = new Thread(() -> out.lines().forEach(line -> { }), "local-output");
        drain.setDaemon(true);
        drain.start();
        return ready;
    }
}
