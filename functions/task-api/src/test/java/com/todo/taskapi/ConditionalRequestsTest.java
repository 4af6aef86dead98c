package com.todo.taskapi;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ETag on every task answer; If-Match on PATCH, DELETE and …/complete (412); If-None-Match on GET (304). */
@MicronautTest(transactional = false)
class ConditionalRequestsTest extends ApiTest {

    private HttpResponse<String> conditional(String method, String path, String body, String user, String header,
                                             String value) {
        return send(method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8),
                "application/merge-patch+json", "Authorization", "Bearer " + token(user), header, value);
    }

    private static String etag(HttpResponse<String> response) {
        return response.headers().firstValue("ETag").orElseThrow(() -> new AssertionError("no ETag"));
    }

    @Test
    void twoClientsPatchingFromTheSameETagOneWinsOneGets412AndTheTaskIsTheWinners() throws Exception {
        HttpResponse<String> created = send("POST", "/api/v1/tasks", "{\"title\": \"Plan trip\"}", token("cond-alice"));
        String path = "/api/v1/tasks/" + json(created).get("id").asText();
        String read = etag(created);
        assertEquals("\"1\"", read);
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<HttpResponse<String>>> edits = Stream.of("Plan trip to Rome", "Plan trip to Oslo")
                .map(title -> CompletableFuture.supplyAsync(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return conditional("PATCH", path, "{\"title\": \"" + title + "\"}", "cond-alice", "If-Match", read);
                })).toList();
        go.countDown();
        List<HttpResponse<String>> answers = edits.stream().map(CompletableFuture::join).toList();
        List<Integer> statuses = answers.stream().map(HttpResponse::statusCode).sorted().toList();
        assertEquals(List.of(200, 412), statuses, answers.stream().map(HttpResponse::body).toList().toString());
        HttpResponse<String> winner = answers.stream().filter(a -> a.statusCode() == 200).findFirst().orElseThrow();
        HttpResponse<String> loser = answers.stream().filter(a -> a.statusCode() == 412).findFirst().orElseThrow();
        assertEquals("application/problem+json", loser.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("\"2\"", etag(loser), "the 412 names the current version");
        HttpResponse<String> current = send("GET", path, null, token("cond-alice"));
        assertEquals(json(winner), json(current));
        assertEquals("\"2\"", etag(current));
        assertEquals(2, outbox.findByAggregateIdOrderBySeq(json(current).get("id").asText()).size(),
                "created and the winner's update: nothing from the loser");
    }

    @Test
    void deleteAndCompleteHonourIfMatch() {
        JsonNode task = create("cond-bob", "{\"title\": \"Call mum\"}");
        String path = "/api/v1/tasks/" + task.get("id").asText();
        assertEquals(412, conditional("POST", path + "/complete", null, "cond-bob", "If-Match", "\"7\"").statusCode());
        assertEquals(412, conditional("POST", path + "/complete", null, "cond-bob", "If-Match", "W/\"1\"").statusCode(),
                "If-Match compares strongly: a weak tag never matches");
        assertEquals(412, conditional("DELETE", path, null, "cond-bob", "If-Match", "\"2\"").statusCode());
        assertEquals("pending", expect(200, send("GET", path, null, token("cond-bob"))).get("status").asText());
        HttpResponse<String> completed = conditional("POST", path + "/complete", null, "cond-bob", "If-Match",
                "\"5\", \"1\"");
        assertEquals(200, completed.statusCode(), completed.body());
        assertEquals("\"2\"", etag(completed));
        assertEquals(412, conditional("DELETE", path, null, "cond-bob", "If-Match", "\"1\"").statusCode());
        assertEquals(204, conditional("DELETE", path, null, "cond-bob", "If-Match", "*").statusCode());
        assertEquals(404, conditional("DELETE", path, null, "cond-bob", "If-Match", "*").statusCode());
    }

    @Test
    void getAnswers304WhileTheClientsCopyIsCurrent() {
        HttpResponse<String> created = send("POST", "/api/v1/tasks", "{\"title\": \"Read book\"}", token("cond-carol"));
        String path = "/api/v1/tasks/" + json(created).get("id").asText();
        HttpResponse<String> notModified = conditional("GET", path, null, "cond-carol", "If-None-Match", etag(created));
        assertEquals(304, notModified.statusCode());
        assertEquals("", notModified.body());
        assertEquals("\"1\"", etag(notModified));
        assertEquals(304, conditional("GET", path, null, "cond-carol", "If-None-Match", "W/\"1\"").statusCode(),
                "If-None-Match compares weakly");
        send("PATCH", path, "{\"priority\": \"high\"}", token("cond-carol"));
        HttpResponse<String> changed = conditional("GET", path, null, "cond-carol", "If-None-Match", etag(created));
        assertEquals(200, changed.statusCode());
        assertEquals("\"2\"", etag(changed));
        assertEquals("high", json(changed).get("priority").asText());
    }

    @Test
    void withoutIfMatchTheLastWriteWinsAsBefore() {
        JsonNode task = create("cond-dave", "{\"title\": \"Fix bike\"}");
        String path = "/api/v1/tasks/" + task.get("id").asText();
        expect(200, send("PATCH", path, "{\"title\": \"Fix bike brakes\"}", token("cond-dave")));
        HttpResponse<String> second = send("PATCH", path, "{\"title\": \"Fix bike light\"}", token("cond-dave"));
        assertEquals(200, second.statusCode());
        assertEquals("\"3\"", etag(second));
    }

    @Test
    void aMalformedConditionOrABadBodyIsRefusedAsSuchAndChangesNothing() {
        JsonNode task = create("cond-erin", "{\"title\": \"Tidy desk\"}");
        String path = "/api/v1/tasks/" + task.get("id").asText();
        for (String bad : List.of("1", "\"1", "\"1\" \"2\"", "W/1", "\"1\";")) {
            JsonNode problem = expect(400, conditional("PATCH", path, "{\"title\": \"x\"}", "cond-erin", "If-Match",
                    bad));
            assertTrue(problem.get("detail").asText().contains("If-Match"), problem.toString());
            expect(400, conditional("GET", path, null, "cond-erin", "If-None-Match", bad));
        }
        expect(422, conditional("PATCH", path, "{\"title\": \"\"}", "cond-erin", "If-Match", "\"9\""));
        expect(400, conditional("PATCH", path, "{\"title\": 5}", "cond-erin", "If-Match", "\"9\""));
        assertEquals("Tidy desk", expect(200, send("GET", path, null, token("cond-erin"))).get("title").asText());
    }
}
