package com.todo.function;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AppApiTokenFilterTest {

    static final String TOKEN = "app-token-for-tests";
    static final AtomicInteger handled = new AtomicInteger();

    /** An internal route nobody listed anywhere: it is guarded because it is not the probes or the user API. */
    @Controller("/new-internal")
    @Requires(property = "test.token-filter")
    static class NewInternalRoute {
        @Post
        String run() {
            handled.incrementAndGet();
            return "ran";
        }

        @Get("/{name}")
        String named(String name) {
            handled.incrementAndGet();
            return name;
        }
    }

    /** Stands for task-api's routes, which prove their callers with a JWT instead. */
    @Controller("/api/v1/things")
    @Requires(property = "test.token-filter")
    static class UserApiRoute {
        @Get
        String list() {
            return "[]";
        }
    }

    /** Answers that run no handler: no token, no such route, a route for another method, a malformed request. */
    static final java.util.Set<Integer> REFUSED = java.util.Set.of(400, 401, 404, 405);

    static EmbeddedServer app;

    @BeforeAll
    static void start() {
        app = ApplicationContext.run(EmbeddedServer.class, Map.of("micronaut.server.port", -1,
                "test.token-filter", true, "todo.app-api-token", TOKEN, "todo.warmup.enabled", false));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void noSpellingOfAGuardedPathReachesItsHandlerWithoutTheToken() throws Exception {
        List<String> spellings = List.of("/new-internal", "/new-internal/", "//new-internal", "/new-internal//",
                "/%6eew-internal", "/new%2Dinternal", "/New-Internal", "/new-internal?x=1", "/new-internal;x=1",
                "/./new-internal", "/x/../new-internal", "/new-internal/%2e");
        handled.set(0);
        for (String path : spellings) {
            int status = raw("POST", path, null);
            assertTrue(REFUSED.contains(status), path + " answered " + status);
        }
        for (String path : List.of("/new-internal/abc", "/new-internal/abc/", "//new-internal//abc")) {
            int status = raw("GET", path, null);
            assertTrue(REFUSED.contains(status), path + " answered " + status);
        }
        assertEquals(0, handled.get(), "a handler ran without the app token");
        assertEquals(200, raw("POST", "/new-internal", TOKEN));
        assertEquals(200, raw("POST", "/new-internal/", TOKEN), "the router matches the trailing slash");
        assertEquals(200, raw("GET", "/new-internal/abc", TOKEN));
    }

    @Test
    void aWrongTokenOrTwoTokenHeadersAreRefused() throws Exception {
        assertEquals(401, raw("POST", "/new-internal", "not-" + TOKEN));
        HttpResponse<String> twice = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri("/new-internal"))
                .header(AppApiTokenFilter.HEADER, TOKEN).header(AppApiTokenFilter.HEADER, "other")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, twice.statusCode());
        assertEquals(Problem.CONTENT_TYPE, twice.headers().firstValue("Content-Type").orElseThrow());
    }

    @Test
    void theProbesAndTheUserApiNeedNoAppToken() throws Exception {
        assertEquals(200, raw("GET", "/health/liveness", null));
        assertEquals(200, raw("GET", "/health", null));
        assertEquals(200, raw("GET", "/api/v1/things", null));
        assertEquals(404, raw("GET", "/nothing-here", null), "an unknown path is a 404, not a 401");
    }

    private static URI uri(String path) {
        return URI.create("http://localhost:" + app.getPort() + path);
    }

    /** Sends the request line as written: java.net.http would normalise some of these spellings first. */
    private static int raw(String method, String path, String token) throws Exception {
        try (Socket socket = new Socket("localhost", app.getPort())) {
            socket.setSoTimeout(10_000);
            String request = method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n"
                    + (token == null ? "" : AppApiTokenFilter.HEADER + ": " + token + "\r\n") + "Connection: close\r\n\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String statusLine = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).split("\r\n", 2)[0];
            return Integer.parseInt(statusLine.split(" ")[1]);
        }
    }
}
