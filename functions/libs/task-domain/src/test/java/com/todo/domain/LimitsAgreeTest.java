package com.todo.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.todo.events.TaskLimits;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The event schemas and the tables state the limits TaskRules enforces (TaskLimits), field by field. */
class LimitsAgreeTest {

    private static final List<String> SCHEMAS = List.of("task-snapshot", "com.todo.recurring.scheduled",
            "com.todo.reminder.due", "com.todo.notification.sent");
    private static final Map<String, Integer> MAX_LENGTH = Map.of("title", TaskLimits.MAX_TITLE,
            "description", TaskLimits.MAX_DESCRIPTION, "userId", TaskLimits.MAX_USER_ID);
    private static final Map<String, Integer> MAX_ITEMS = Map.of("tags", TaskLimits.MAX_TAGS,
            "reminders", TaskLimits.MAX_REMINDERS, "reminderOffsets", TaskLimits.MAX_REMINDERS);

    @Test
    void everyEventSchemaStatesTheSameLimits() throws Exception {
        List<String> checked = new ArrayList<>();
        for (String name : SCHEMAS) {
            try (InputStream in = getClass().getClassLoader().getResourceAsStream("schemas/" + name + ".json")) {
                assertNotNull(in, name);
                walk(name, new ObjectMapper().readTree(in), checked);
            }
        }
        assertTrue(checked.size() >= 12, "checked " + checked);
    }

    private static void walk(String where, JsonNode node, List<String> checked) {
        if (!node.isObject()) {
            return;
        }
        JsonNode properties = node.get("properties");
        if (properties != null) {
            for (Map.Entry<String, JsonNode> p : properties.properties()) {
                String field = where + "." + p.getKey();
                JsonNode schema = p.getValue();
                if (MAX_LENGTH.containsKey(p.getKey()) && schema.has("maxLength")) {
                    assertEquals(MAX_LENGTH.get(p.getKey()), schema.get("maxLength").asInt(), field);
                    checked.add(field);
                }
                if (MAX_ITEMS.containsKey(p.getKey()) && schema.has("maxItems")) {
                    assertEquals(MAX_ITEMS.get(p.getKey()), schema.get("maxItems").asInt(), field);
                    checked.add(field);
                }
                if (p.getKey().equals("tags") && schema.has("items")) {
                    assertEquals(TaskLimits.MAX_TAG, schema.at("/items/maxLength").asInt(), field + "[]");
                }
                if (p.getKey().equals("before") || p.getKey().equals("reminderOffsets")) {
                    String pattern = schema.has("items") ? schema.at("/items/pattern").asText()
                            : schema.get("pattern").asText();
                    assertEquals(ReminderTimes.PATTERN, pattern, field);
                    checked.add(field);
                }
            }
        }
        node.properties().forEach(child -> walk(where, child.getValue(), checked));
    }

    @Test
    void theTablesHoldWhatTheRulesAllow() throws Exception {
        String sql;
        try (InputStream in = getClass().getClassLoader()
                .getResourceAsStream("db/migration/V1__tasks_reminders_notifications_outbox_inbox.sql")) {
            sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Matcher title = Pattern.compile("\\btitle\\s+varchar\\((\\d+)\\)").matcher(sql);
        int titles = 0;
        while (title.find()) {
            assertEquals(TaskLimits.MAX_TITLE, Integer.parseInt(title.group(1)), "title column");
            titles++;
        }
        assertEquals(2, titles, "tasks.title and notifications.title");
        Matcher description = Pattern.compile("\\bdescription\\s+varchar\\((\\d+)\\)").matcher(sql);
        assertTrue(description.find());
        assertEquals(TaskLimits.MAX_DESCRIPTION, Integer.parseInt(description.group(1)), "description column");
    }
}
