package com.todo.function;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class LoopbackHttpTest {

    @Test
    void answersComeWholeWithStatusAndETagOverOneKeptAliveConnection() throws Exception {
        Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
        List<String> tokens = new CopyOnWriteArrayList<>();
        HttpServer peer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        peer.createContext("/", exchange -> {
            clientPorts.add(exchange.getRemoteAddress().getPort());
            tokens.add(exchange.getRequestHeaders().getFirst("dapr-api-token"));
            byte[] body = exchange.getRequestBody().readAllBytes();
            switch (exchange.getRequestURI().getPath()) {
                case "/value" -> {
                    byte[] value = "{\"v\":1}".getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().add("ETag", "e-1");
                    exchange.sendResponseHeaders(200, value.length);
                    exchange.getResponseBody().write(value);
                }
                case "/echo" -> { // no announced length: chunked
                    exchange.sendResponseHeaders(200, 0);
                    exchange.getResponseBody().write(body);
                }
                case "/save" -> exchange.sendResponseHeaders(204, -1);
                default -> {
                    byte[] problem = "not here".getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(404, problem.length);
                    exchange.getResponseBody().write(problem);
                }
            }
            exchange.close();
        });
        peer.start();
        try {
            LoopbackHttp http = new LoopbackHttp("secret", Duration.ofSeconds(2), Duration.ofSeconds(2));
            String base = "http://127.0.0.1:" + peer.getAddress().getPort();

            LoopbackHttp.Answer value = http.exchange("GET", base + "/value", null, null);
            assertEquals(200, value.status());
            assertEquals("{\"v\":1}", value.text());
            assertEquals("e-1", value.etag());

            byte[] big = "x".repeat(40_000).getBytes(StandardCharsets.UTF_8);
            assertArrayEquals(big, http.exchange("POST", base + "/echo", big, "text/plain").body());

            LoopbackHttp.Answer saved = http.exchange("POST", base + "/save", "[]".getBytes(StandardCharsets.UTF_8),
                    "application/json");
            assertEquals(204, saved.status());
            assertEquals(0, saved.body().length);
            assertNull(saved.etag());

            LoopbackHttp.Answer missing = http.exchange("GET", base + "/elsewhere", null, null);
            assertEquals(404, missing.status());
            assertEquals("not here", missing.text());

            assertEquals(1, clientPorts.size(), "every call reused the first connection: " + clientPorts);
            assertEquals(List.of("secret", "secret", "secret", "secret"), tokens);
        } finally {
            peer.stop(0);
        }
    }
}
