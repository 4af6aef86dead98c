package com.todo.function;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A sidecar that closes a kept-alive connection between two schedule calls (an idle timeout, a restart) costs the
 * second call nothing: the client sends it again on a new connection instead of failing the event with RETRY.
 */
class SchedulesClientKeepAliveTest {

    @Test
    void aKeptAliveConnectionClosedByTheServerIsRetriedOnceOnANewOne() throws Exception {
        List<String> requests = new CopyOnWriteArrayList<>();
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread sidecar = new Thread(() -> serveOneRequestPerConnection(server, requests), "closing-sidecar");
            sidecar.setDaemon(true);
            sidecar.start();
            SchedulesClient client = new SchedulesClient("http://127.0.0.1:" + server.getLocalPort(), "token",
                    Duration.ofSeconds(5));

            client.schedule("reminder-a", Instant.now().plusSeconds(60), "reminder-events", "{\"id\":\"a\"}");
            Thread.sleep(200); // the server has closed the connection the client keeps for reuse
            client.schedule("reminder-b", Instant.now().plusSeconds(60), "reminder-events", "{\"id\":\"b\"}");
            client.cancel("reminder-a");
        }
        assertEquals(List.of("PUT /schedules/reminder-a", "PUT /schedules/reminder-b", "DELETE /schedules/reminder-a"),
                requests.stream().distinct().toList());
    }

    /** Answers each connection's first request with a keep-alive 204, then closes it without saying so. */
    private static void serveOneRequestPerConnection(ServerSocket server, List<String> requests) {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                        StandardCharsets.ISO_8859_1));
                String requestLine = in.readLine();
                int length = 0;
                for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                    if (line.toLowerCase().startsWith("content-length:")) {
                        length = Integer.parseInt(line.substring(15).strip());
                    }
                }
                in.skip(length);
                requests.add(requestLine.substring(0, requestLine.lastIndexOf(' ')));
                OutputStream out = socket.getOutputStream();
                out.write("HTTP/1.1 204 No Content\r\nConnection: keep-alive\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException e) {
                // the server socket was closed: done
            }
        }
    }
}
