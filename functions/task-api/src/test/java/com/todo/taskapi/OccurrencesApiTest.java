package com.todo.taskapi;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** GET /api/v1/tasks/{id}/occurrences: a series' next due times in its time zone, for its owner only. */
@MicronautTest(transactional = false)
class OccurrencesApiTest extends ApiTest {

    @Test
    void aDailySeriesKeepsItsLocalTimeAcrossTheDstChangeAndStopsAtItsCount() {
        // clocks in Berlin go forward on 2030-03-31 (a date far enough ahead that "now" stays before the series)
        String id = create("gina", "{\"title\": \"Standup\", \"dueAt\": \"2030-03-29T09:00:00+01:00\", "
                + "\"timeZone\": \"Europe/Berlin\", \"recurrence\": {\"rule\": \"FREQ=DAILY;COUNT=5\"}}")
                .get("id").asText();
        JsonNode preview = expect(200, send("GET", "/api/v1/tasks/" + id + "/occurrences?count=3", null,
                token("gina")));
        assertEquals("Europe/Berlin", preview.get("timeZone").asText());
        assertEquals(List.of("2030-03-30T09:00:00+01:00", "2030-03-31T09:00:00+02:00", "2030-04-01T09:00:00+02:00"),
                field(preview, "localDueAt"));
        assertEquals(List.of("2030-03-30T08:00:00Z", "2030-03-31T07:00:00Z", "2030-04-01T07:00:00Z"),
                field(preview, "dueAt"));
        assertEquals(4, expect(200, send("GET", "/api/v1/tasks/" + id + "/occurrences?count=100", null,
                token("gina"))).get("items").size(), "COUNT=5 from the series start: this one and four more");
        assertEquals(4, expect(200, send("GET", "/api/v1/tasks/" + id + "/occurrences", null, token("gina")))
                .get("items").size(), "five by default, or as many as there are");
    }

    @Test
    void aTaskWithoutRecurrenceHasNoneAndAnotherUsersTaskIsNotFound() {
        String plain = create("hugo", "{\"title\": \"once\", \"dueAt\": \"2030-01-01T09:00:00Z\"}").get("id").asText();
        assertEquals(0, expect(200, send("GET", "/api/v1/tasks/" + plain + "/occurrences", null, token("hugo")))
                .get("items").size());
        expect(404, send("GET", "/api/v1/tasks/" + plain + "/occurrences", null, token("ida")));
        expect(404, send("GET", "/api/v1/tasks/not-a-task/occurrences", null, token("hugo")));
        for (String count : List.of("0", "101", "two", "-1")) {
            expect(400, send("GET", "/api/v1/tasks/" + plain + "/occurrences?count=" + count, null, token("hugo")));
        }
        expect(401, send("GET", "/api/v1/tasks/" + plain + "/occurrences", null, null));
    }

    private static List<String> field(JsonNode list, String name) {
        List<String> values = new ArrayList<>();
        list.get("items").forEach(item -> values.add(item.get(name).asText()));
        return values;
    }
}
