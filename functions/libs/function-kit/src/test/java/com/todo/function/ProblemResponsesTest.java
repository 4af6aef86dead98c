package com.todo.function;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProblemResponsesTest {

    @Controller("/api/v1/broken")
    @Requires(property = "test.problems")
    static class Broken {
        @Get
        String fail() {
            throw new IllegalStateException("ERROR: invalid byte sequence in INSERT INTO task (title) VALUES ($1)");
        }
    }

    @Test
    void aServerErrorNamesAnIdFoundInTheLogAndNothingOfItsCause() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(ProblemResponses.class);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        logger.addAppender(log);
        try (EmbeddedServer app = ApplicationContext.run(EmbeddedServer.class, Map.of("micronaut.server.port", -1,
                "test.problems", true, "todo.warmup.enabled", false))) {
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + app.getPort() + "/api/v1/broken")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(500, answer.statusCode());
            assertEquals(Problem.CONTENT_TYPE, answer.headers().firstValue("Content-Type").orElseThrow());
            assertFalse(answer.body().contains("INSERT") || answer.body().contains("IllegalState"), answer.body());
            JsonNode problem = new ObjectMapper().readTree(answer.body());
            String detail = problem.get("detail").asText();
            String id = detail.substring(detail.lastIndexOf(' ') + 1);
            ILoggingEvent line = log.list.stream().filter(e -> e.getFormattedMessage().contains("error id=" + id))
                    .findFirst().orElseThrow(() -> new AssertionError("no log line names " + id + ": " + log.list));
            assertTrue(line.getThrowableProxy().getMessage().contains("INSERT INTO task"), "the log keeps the cause");
        } finally {
            logger.detachAppender(log);
        }
    }
}
