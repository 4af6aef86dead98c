package com.todo.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The fake sidecar's HTTP API, answering as daprd 1.18's does (pkg/api/http): {@code GET /v1.0/state/{store}/{key}}
 * (200 with an ETag header, 204 when absent), {@code POST /v1.0/state/{store}} (204; 409 on an ETag mismatch, 500
 * when first-write finds the key), {@code POST /v1.0/publish/{pubsub}/{topic}} (204; metadata from
 * {@code metadata.*} query parameters), {@code GET /v1.0/metadata} and {@code GET /v1.0/healthz/outbound}.
 */
final class FakeSidecarHttp {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FakeSidecarHttp() {
    }

    static HttpServer start(int port, FakeDaprSidecar sidecar) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        } catch (IOException e) {
            throw new UncheckedIOException("fake sidecar could not listen on " + port, e);
        }
        ExecutorService workers = Executors.newFixedThreadPool(8, r -> {
            Thread thread = new Thread(r, "fake-sidecar-http");
            thread.setDaemon(true); // a harness's JVM must not wait for them
            return thread;
        });
        server.setExecutor(workers);
        server.createContext("/v1.0/", exchange -> {
            try (exchange) {
                answer(exchange, sidecar);
            }
        });
        server.start();
        return server;
    }

    private static void answer(HttpExchange exchange, FakeDaprSidecar sidecar) throws IOException {
        String path = exchange.getRequestURI().getRawPath().substring("/v1.0/".length());
        String[] parts = path.split("/");
        String method = exchange.getRequestMethod();
        byte[] body = exchange.getRequestBody().readAllBytes();
        if (path.equals("healthz/outbound")) {
            exchange.sendResponseHeaders(sidecar.healthzStatus().get(), -1);
            return;
        }
        sidecar.called(exchange.getRequestHeaders().getFirst("dapr-api-token"));
        if (method.equals("GET") && path.equals("metadata")) {
            sidecar.metadataCalled();
            send(exchange, 200, "{\"id\":\"fake\"}".getBytes(StandardCharsets.UTF_8));
        } else if (method.equals("POST") && parts.length == 3 && parts[0].equals("publish")) {
            sidecar.published(new FakeDaprSidecar.Published(decode(parts[1]), decode(parts[2]), body,
                    exchange.getRequestHeaders().getFirst("Content-Type"), metadata(exchange)));
            exchange.sendResponseHeaders(204, -1);
        } else if (method.equals("GET") && parts.length == 3 && parts[0].equals("state")) {
            FakeDaprSidecar.StoredState stored = sidecar.stateOf(decode(parts[2]));
            if (stored == null) {
                exchange.sendResponseHeaders(204, -1);
                return;
            }
            exchange.getResponseHeaders().add("ETag", stored.etag());
            send(exchange, 200, stored.value());
        } else if (method.equals("POST") && parts.length == 2 && parts[0].equals("state")) {
            save(exchange, sidecar, body);
        } else {
            send(exchange, 404, ("{\"errorCode\":\"ERR_NOT_FOUND\",\"message\":\"no fake for " + method + " "
                    + path + "\"}").getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void save(HttpExchange exchange, FakeDaprSidecar sidecar, byte[] body) throws IOException {
        JsonNode items;
        try {
            items = JSON.readTree(body);
        } catch (IOException malformed) {
            send(exchange, 400, "{\"errorCode\":\"ERR_MALFORMED_REQUEST\"}".getBytes(StandardCharsets.UTF_8));
            return;
        }
        for (JsonNode item : items) {
            JsonNode etag = item.get("etag");
            FakeDaprSidecar.SaveRefusal refused = sidecar.save(item.get("key").asText(),
                    JSON.writeValueAsBytes(item.get("value")), etag == null ? null : etag.asText(),
                    "first-write".equals(item.path("options").path("concurrency").asText()));
            if (refused != null) {
                send(exchange, refused == FakeDaprSidecar.SaveRefusal.ETAG_MISMATCH ? 409 : 500,
                        ("{\"errorCode\":\"ERR_STATE_SAVE\",\"message\":\"" + refused.description + "\"}")
                                .getBytes(StandardCharsets.UTF_8));
                return;
            }
        }
        exchange.sendResponseHeaders(204, -1);
    }

    private static Map<String, String> metadata(HttpExchange exchange) {
        Map<String, String> metadata = new HashMap<>();
        String query = exchange.getRequestURI().getRawQuery();
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                if (name.startsWith("metadata.")) {
                    metadata.put(name.substring("metadata.".length()), eq < 0 ? "" : decode(pair.substring(eq + 1)));
                }
            }
        }
        return Map.copyOf(metadata);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }
}
