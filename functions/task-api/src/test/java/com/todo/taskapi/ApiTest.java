package com.todo.taskapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.todo.embedded.EmbeddedDatabase;
import com.todo.domain.Migrate;
import com.todo.domain.OutboxRepository;
import com.todo.domain.TaskRepository;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Base of the task-api tests: a real server on a random port, a fresh database in the embedded PostgreSQL, real HTTP
 * with real HS256 tokens.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ApiTest implements TestPropertyProvider {

    static final String SECRET = "test-secret-test-secret-test-secret-0123";
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** This class's database, for a test's own JDBC connection (outside the app's transactions). */
    String databaseUrl;
    @Inject
    EmbeddedServer server;
    @Inject
    OutboxRepository outbox;
    @Inject
    TaskRepository taskRows;

    @Override
    public Map<String, String> getProperties() {
        String url = EmbeddedDatabase.shared().newDatabase();
        databaseUrl = url;
        Migrate.run(url, EmbeddedDatabase.USER, "");
        Map<String, String> properties = new java.util.HashMap<>(Map.of(
                "todo.events.publisher", "recording",
                "datasources.default.url", url,
                "datasources.default.username", EmbeddedDatabase.USER,
                "todo.jwt.secret", SECRET,
                "micronaut.server.port", "-1"));
        properties.putAll(extraProperties());
        return properties;
    }

    /** Properties a test class adds or overrides. */
    Map<String, String> extraProperties() {
        return Map.of();
    }

    static String token(String user) {
        return sign(new JWTClaimsSet.Builder().subject(user)
                .expirationTime(Date.from(Instant.now().plusSeconds(600))).build(), SECRET);
    }

    static String sign(JWTClaimsSet claims, String secret) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(secret));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> send(String method, String path, String body, String token) {
        return send(method, path, body, token, "application/json");
    }

    HttpResponse<String> send(String method, String path, String body, String token, String contentType) {
        return send(method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8), contentType,
                token == null ? new String[0] : new String[]{"Authorization", "Bearer " + token});
    }

    /** Sends the body's bytes as they are (possibly not UTF-8) with the given header names and values. */
    HttpResponse<String> send(String method, String path, byte[] body, String contentType, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + server.getPort() + path))
                .timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (body != null) {
            request.header("Content-Type", contentType);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    /** Asserts the status and returns the JSON body. */
    static JsonNode expect(int status, HttpResponse<String> response) {
        assertEquals(status, response.statusCode(), () -> "body: " + response.body());
        return response.body().isEmpty() ? null : json(response);
    }

    JsonNode create(String user, String body) {
        return expect(201, send("POST", "/api/v1/tasks", body, token(user)));
    }
}
