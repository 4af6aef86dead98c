package com.todo.reminders;

import com.todo.fake.FakeDaprSidecar;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;

/**
 * {@link TaskReminders} as a task-* function runs it: the real Dapr state adapter against the fake sidecar, and the
 * schedules it asks for recorded over HTTP by the server's own {@code RecordingSchedulesApi}.
 */
final class RemindersOnFakeSidecar implements AutoCloseable {

    private final FakeDaprSidecar sidecar = new FakeDaprSidecar().start();
    private final EmbeddedServer server;

    RemindersOnFakeSidecar() {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server = ApplicationContext.run(EmbeddedServer.class, Map.of("micronaut.server.port", port,
                "todo.dapr.grpc-port", sidecar.port(), "todo.dapr.http-port", sidecar.httpPort(), "todo.schedules.url", "http://localhost:" + port,
                "test.schedules-api", "true"));
    }

    TaskReminders reminders() {
        return server.getApplicationContext().getBean(TaskReminders.class);
    }

    /** The gRPC calls the sidecar has answered so far: here, every one is a state call. */
    long sidecarCalls() {
        return sidecar.calls();
    }

    @Override
    public void close() {
        server.getApplicationContext().close();
        sidecar.close();
    }
}
