package com.todo.taskapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.todo.embedded.EmbeddedDatabase;
import com.todo.events.EventSchemas;
import com.todo.events.EventType;
import com.todo.events.StructuredEvents;
import com.todo.domain.Migrate;
import com.todo.domain.OutboxRepository;
import com.todo.domain.OutboxRow;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tasks generated at and beyond every limit (lengths in characters of several widths, blank and control characters,
 * instants at both ends of the range and past them, reminders that land outside it, rules that never occur or recur
 * too often): the API refuses a task with a 400 or 422 and writes nothing, or accepts it with a 201 whose events —
 * created, then completed — validate against the event schemas every function checks them with.
 */
class AcceptedTaskEventsPropertyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final List<Integer> VISIBLE = List.of((int) 'a', (int) 'Z', (int) '7', 0x00E9, 0x4E2D, 0x1F600,
            (int) ' ');
    private static final List<Integer> HOSTILE = List.of(0x0000, (int) '\t', (int) '\n', 0x001B, 0x0085, 0x2028, 0x00A0);
    private static EmbeddedServer server;
    private static OutboxRepository outbox;
    private static String token;

    @BeforeContainer
    static void start() {
        String url = EmbeddedDatabase.shared().newDatabase();
        Migrate.run(url, EmbeddedDatabase.USER, "");
        server = ApplicationContext.run(EmbeddedServer.class, Map.of("todo.events.publisher", "recording",
                "datasources.default.url", url, "datasources.default.username", EmbeddedDatabase.USER,
                "todo.jwt.secret", ApiTest.SECRET, "micronaut.server.port", -1, "todo.warmup.enabled", false));
        outbox = server.getApplicationContext().getBean(OutboxRepository.class);
        token = ApiTest.token("property-user");
    }

    @AfterContainer
    static void stop() {
        server.close();
    }

    @Property(tries = 250)
    void aTaskIsRefusedWritingNothingOrAcceptedWithEventsThatValidate(@ForAll("tasks") String body) throws Exception {
        long events = outbox.count();
        HttpResponse<String> created = send("POST", "/api/v1/tasks", body);
        Statistics.label("status").collect(created.statusCode());
        // not vacuous: a fair share of the generated tasks is accepted, and a fair share refused
        Statistics.label("status").coverage(c -> {
            c.check(201).percentage(p -> p >= 10);
            c.check(422).percentage(p -> p >= 10);
        });
        if (created.statusCode() != 201) {
            assertTrue(Set.of(400, 422).contains(created.statusCode()), created.statusCode() + " " + created.body());
            assertEquals(events, outbox.count(), "a refused task wrote an event");
            return;
        }
        String id = JSON.readTree(created.body()).get("id").asText();
        HttpResponse<String> completed = send("POST", "/api/v1/tasks/" + id + "/complete", null);
        assertEquals(200, completed.statusCode(), completed.body());
        List<OutboxRow> rows = outbox.findByAggregateIdOrderBySeq(id);
        assertEquals(List.of(EventType.TASK_CREATED.type(), EventType.TASK_COMPLETED.type()),
                rows.stream().map(OutboxRow::type).toList());
        for (OutboxRow row : rows) {
            JsonNode data = JSON.readTree(StructuredEvents.deserialize(row.payload().getBytes(StandardCharsets.UTF_8))
                    .getData().toBytes());
            assertEquals(List.of(), EventSchemas.violations(EventType.ofType(row.type()).orElseThrow(), data),
                    () -> "accepted " + body + " but published " + data);
        }
    }

    @Provide
    Arbitrary<String> tasks() {
        Arbitrary<String> title = text(1, 8, 195, 205, 8);
        Arbitrary<String> description = text(0, 4, 995, 1005, 8).injectNull(0.4);
        Arbitrary<List<String>> tags = Arbitraries.frequencyOf(
                Tuple.of(4, text(1, 3, 48, 52, 3).list().ofMaxSize(3)),
                Tuple.of(1, text(1, 3, 48, 52, 3).list().ofMinSize(19).ofMaxSize(22)));
        Arbitrary<String> dueAt = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.of("2030-01-01T09:00:00.123456Z", "2030-03-31T02:30:00+02:00",
                        "9999-12-31T23:59:59.999999Z")),
                Tuple.of(1, Arbitraries.of("1970-01-01T00:00:00Z", "1969-12-31T23:59:59Z", "9999-12-31T23:00:00-05:00",
                        "+10000-01-01T00:00:00Z", "2030-01-01T09:00Z"))).injectNull(0.1);
        Arbitrary<Map<String, String>> reminder = Arbitraries.frequencyOf(
                Tuple.of(12, Arbitraries.of("PT15M", "P1D", "P1W").map(before -> Map.of("before", before))),
                Tuple.of(1, Arbitraries.of("P7999Y", "P3000Y", "PT9999999999999H", "P1W2147483647D", "PT1,5S")
                        .map(before -> Map.of("before", before))),
                Tuple.of(3, Arbitraries.of("1970-01-01T00:00:00Z", "2029-12-31T09:00:00Z").map(at -> Map.of("at", at))),
                Tuple.of(1, Arbitraries.just(Map.of("at", "+10000-01-01T00:00:00Z"))));
        Arbitrary<List<Map<String, String>>> reminders = Arbitraries.frequencyOf(
                Tuple.of(6, reminder.list().ofMaxSize(2)), Tuple.of(1, reminder.list().ofMinSize(9).ofMaxSize(11)));
        Arbitrary<String> rule = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of("FREQ=DAILY", "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=3",
                        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", "FREQ=MINUTELY;INTERVAL=1000", "FREQ=YEARLY;INTERVAL=1000")),
                Tuple.of(1, Arbitraries.of("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "FREQ=SECONDLY",
                        "FREQ=DAILY;INTERVAL=1001", "FREQ=DAILY;UNTIL=19991231T000000Z"))).injectNull(0.6);
        Arbitrary<String> zone = Arbitraries.of("UTC", "Europe/Berlin", "Pacific/Kiritimati", "America/St_Johns");
        return Combinators.combine(title, description, tags, dueAt, reminders, rule, zone)
                .as((t, d, tg, due, rs, r, z) -> {
                    ObjectNode task = JSON.createObjectNode().put("title", t).put("description", d).put("timeZone", z);
                    tg.forEach(task.putArray("tags")::add);
                    if (due != null) {
                        task.put("dueAt", due);
                    }
                    rs.forEach(item -> item.forEach(task.withArray("reminders").addObject()::put));
                    if (r != null) {
                        task.putObject("recurrence").put("rule", r);
                    }
                    return task.toString();
                });
    }

    /**
     * Text of short lengths and of lengths around a limit, in code points of one to four UTF-8 bytes; a share in
     * percent holds one character no task may hold (a control, a line separator) or is blank.
     */
    private static Arbitrary<String> text(int shortest, int shortLimit, int nearFrom, int nearTo, int dirtyShare) {
        Arbitrary<Integer> clean = Arbitraries.of(VISIBLE).injectDuplicates(0.2);
        Arbitrary<List<Integer>> points = Arbitraries.oneOf(clean.list().ofMinSize(shortest).ofMaxSize(shortLimit),
                clean.list().ofMinSize(nearFrom).ofMaxSize(nearTo));
        Arbitrary<List<Integer>> dirty = Combinators.combine(points, Arbitraries.of(HOSTILE)).as((list, bad) -> {
            List<Integer> copy = new java.util.ArrayList<>(list);
            copy.add(copy.size() / 2, bad);
            return copy;
        });
        return Arbitraries.frequencyOf(Tuple.of(100 - dirtyShare, points), Tuple.of(dirtyShare, dirty))
                .map(list -> list.stream().map(Character::toString).collect(Collectors.joining()));
    }

    private static HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + server.getPort() + path))
                .header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
