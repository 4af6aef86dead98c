package com.todo.taskapi;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.todo.events.TaskSnapshot;
import com.todo.domain.FieldError;
import com.todo.domain.InvalidTaskException;
import com.todo.domain.TaskDraft;
import com.todo.domain.TaskRules;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Reads task JSON strictly: a wrong JSON type is a 400 ({@link BadRequestException}); a well-typed but invalid value
 * (format, unknown or read-only field) is a 422 ({@link InvalidTaskException}). PATCH bodies are JSON merge patches
 * (RFC 7396) applied to the task's editable fields.
 */
final class TaskJson {

    /** A task is four levels deep; a deeper body is refused while it is read, before it costs stack or memory. */
    static final int MAX_DEPTH = 16;
    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build()).build())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Set<String> EDITABLE = Set.of("title", "description", "status", "priority", "tags", "dueAt",
            "timeZone", "reminders", "recurrence");
    private static final Set<String> READ_ONLY = Set.of("id", "userId", "seriesId", "version", "createdAt",
            "updatedAt", "completedAt");
    private static final Set<String> REMINDER_FIELDS = Set.of("id", "before", "at", "remindAt");
    private static final Set<String> RECURRENCE_FIELDS = Set.of("rule", "seriesStart");

    private TaskJson() {
    }

    /** The object as compact JSON: two bodies that differ only in spacing give the same bytes. */
    static byte[] bytes(ObjectNode object) {
        try {
            return MAPPER.writeValueAsBytes(object);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed object always serializes", e);
        }
    }

    /** Parses a request body that must be one JSON object in UTF-8, with no unpaired surrogate in any string. */
    static ObjectNode object(byte[] bytes) {
        String body;
        try {
            body = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes == null ? new byte[0] : bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new BadRequestException("The request body is not valid UTF-8");
        }
        if (body.isBlank()) {
            throw new BadRequestException("The request body must be a JSON object; it is empty");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (StreamConstraintsException e) {
            throw new BadRequestException("The request body nests JSON deeper than " + MAX_DEPTH + " levels");
        } catch (JsonProcessingException e) {
            throw new BadRequestException("The request body is not valid JSON: " + e.getOriginalMessage()
                    + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        }
        if (!(node instanceof ObjectNode object)) {
            throw new BadRequestException("The request body must be a JSON object, not " + node.getNodeType());
        }
        rejectUnpairedSurrogates(object, "");
        return object;
    }

    /** A "\\uD800" escape alone decodes to half a character, which no UTF-8 text (or PostgreSQL) can hold. */
    private static void rejectUnpairedSurrogates(JsonNode node, String path) {
        if (node.isTextual() && !wellFormed(node.textValue())) {
            throw new BadRequestException("The string at " + (path.isEmpty() ? "/" : path)
                    + " holds an unpaired UTF-16 surrogate (a lone \\uD800-\\uDFFF escape)");
        }
        if (node.isObject()) {
            node.properties().forEach(field -> {
                if (!wellFormed(field.getKey())) {
                    throw new BadRequestException("A field name holds an unpaired UTF-16 surrogate");
                }
                rejectUnpairedSurrogates(field.getValue(), path + "/" + field.getKey());
            });
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                rejectUnpairedSurrogates(node.get(i), path + "/" + i);
            }
        }
    }

    static boolean wellFormed(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** RFC 3339 as the OpenAPI document's date-time means it; java.time alone also takes "09:00Z" or "+01:00:30". */
    private static final Pattern RFC_3339 = Pattern.compile(
            "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})");

    /** The instant an RFC 3339 date-time names, to the microsecond PostgreSQL keeps; null if it is none. */
    static Instant rfc3339(String text) {
        if (!RFC_3339.matcher(text).matches()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant()
                    .truncatedTo(ChronoUnit.MICROS);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** A new task's fields, with the defaults for what is left out. */
    static TaskDraft draftForCreate(ObjectNode body) {
        rejectUnknownAndReadOnly(body);
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        doc.put("status", TaskRules.DEFAULT_STATUS);
        doc.put("priority", TaskRules.DEFAULT_PRIORITY);
        doc.put("timeZone", TaskRules.DEFAULT_TIME_ZONE);
        doc.setAll(body);
        return draft(doc);
    }

    /** The task after applying a merge patch to its editable fields. */
    static TaskDraft draftForPatch(TaskSnapshot current, ObjectNode patch) {
        rejectUnknownAndReadOnly(patch);
        return draft((ObjectNode) mergePatch(editable(current), patch));
    }

    /** RFC 7396: objects merge member by member, {@code null} removes, anything else replaces. */
    static JsonNode mergePatch(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch;
        }
        ObjectNode result = target != null && target.isObject() ? ((ObjectNode) target).deepCopy()
                : JsonNodeFactory.instance.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getValue().isNull()) {
                result.remove(field.getKey());
            } else {
                result.set(field.getKey(), mergePatch(result.get(field.getKey()), field.getValue()));
            }
        }
        return result;
    }

    private static ObjectNode editable(TaskSnapshot t) {
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        doc.put("title", t.title());
        if (t.description() != null) {
            doc.put("description", t.description());
        }
        doc.put("status", t.status());
        doc.put("priority", t.priority());
        t.tags().forEach(doc.putArray("tags")::add);
        if (t.dueAt() != null) {
            doc.put("dueAt", t.dueAt().toString());
        }
        doc.put("timeZone", t.timeZone());
        ArrayNode reminders = doc.putArray("reminders");
        for (TaskSnapshot.Reminder r : t.reminders()) {
            ObjectNode item = reminders.addObject().put("id", r.id().toString());
            if (r.before() != null) {
                item.put("before", r.before());
            } else {
                item.put("at", r.at().toString());
            }
        }
        if (t.recurrence() != null) {
            doc.putObject("recurrence").put("rule", t.recurrence().rule());
        }
        return doc;
    }

    private static void rejectUnknownAndReadOnly(ObjectNode body) {
        List<FieldError> errors = new ArrayList<>();
        body.fieldNames().forEachRemaining(name -> {
            if (READ_ONLY.contains(name)) {
                errors.add(new FieldError(name, "is read-only"));
            } else if (!EDITABLE.contains(name)) {
                errors.add(new FieldError(name, "is not a task field; editable fields are " + EDITABLE.stream().sorted().toList()));
            }
        });
        if (!errors.isEmpty()) {
            throw new InvalidTaskException(errors);
        }
    }

    private static TaskDraft draft(ObjectNode doc) {
        Reader r = new Reader();
        String title = r.string(doc, "title");
        String description = r.string(doc, "description");
        String status = r.string(doc, "status");
        String priority = r.string(doc, "priority");
        List<String> tags = new ArrayList<>();
        for (JsonNode tag : r.array(doc, "tags")) {
            tags.add(r.text(tag, "tags[" + tags.size() + "]"));
        }
        Instant dueAt = r.instant(r.string(doc, "dueAt"), "dueAt");
        String timeZone = r.string(doc, "timeZone");
        List<TaskDraft.ReminderDraft> reminders = new ArrayList<>();
        for (JsonNode item : r.array(doc, "reminders")) {
            reminders.add(r.reminder(item, "reminders[" + reminders.size() + "]"));
        }
        String rule = null;
        JsonNode recurrence = doc.get("recurrence");
        if (recurrence != null && !recurrence.isNull()) {
            if (!recurrence.isObject()) {
                r.typeError("recurrence", "an object such as {\"rule\": \"FREQ=DAILY\"} or null", recurrence);
            } else {
                r.onlyFields(recurrence, RECURRENCE_FIELDS, "recurrence");
                rule = r.string(recurrence, "rule", "recurrence.rule");
                if (rule == null) {
                    r.invalid.add(new FieldError("recurrence.rule", "is required"));
                }
            }
        }
        r.throwIfAny();
        return new TaskDraft(title, description, status, priority, tags, dueAt, timeZone, reminders, rule);
    }

    /** Collects type errors (400) and value errors (422) so one answer names every problem of the body. */
    private static final class Reader {
        private final List<FieldError> typeErrors = new ArrayList<>();
        private final List<FieldError> invalid = new ArrayList<>();

        String string(JsonNode parent, String field) {
            return string(parent, field, field);
        }

        String string(JsonNode parent, String field, String path) {
            JsonNode node = parent.get(field);
            return node == null ? null : text(node, path);
        }

        String text(JsonNode node, String path) {
            if (node.isNull()) {
                return null;
            }
            if (!node.isTextual()) {
                typeError(path, "a string", node);
                return null;
            }
            return node.textValue();
        }

        Iterable<JsonNode> array(JsonNode parent, String field) {
            JsonNode node = parent.get(field);
            if (node == null || node.isNull()) {
                return List.of();
            }
            if (!node.isArray()) {
                typeError(field, "an array", node);
                return List.of();
            }
            return node;
        }

        Instant instant(String text, String path) {
            if (text == null) {
                return null;
            }
            Instant instant = rfc3339(text);
            if (instant == null) {
                invalid.add(new FieldError(path, "must be an RFC 3339 date-time with offset, such as "
                        + "2026-05-01T09:00:00Z, not '" + text + "'"));
            }
            return instant;
        }

        TaskDraft.ReminderDraft reminder(JsonNode item, String path) {
            if (!item.isObject()) {
                typeError(path, "an object such as {\"before\": \"PT15M\"} or {\"at\": \"2026-05-01T08:45:00Z\"}", item);
                return new TaskDraft.ReminderDraft(null, null, null);
            }
            onlyFields(item, REMINDER_FIELDS, path);
            String idText = string(item, "id", path + ".id");
            UUID id = null;
            if (idText != null) {
                try {
                    id = UUID.fromString(idText);
                } catch (IllegalArgumentException e) {
                    invalid.add(new FieldError(path + ".id", "is not a reminder id"));
                }
            }
            String before = string(item, "before", path + ".before");
            Instant at = instant(string(item, "at", path + ".at"), path + ".at");
            return new TaskDraft.ReminderDraft(id, before, at);
        }

        void onlyFields(JsonNode object, Set<String> allowed, String path) {
            object.fieldNames().forEachRemaining(name -> {
                if (!allowed.contains(name)) {
                    invalid.add(new FieldError(path + "." + name, "is not a field here; allowed: "
                            + allowed.stream().sorted().toList()));
                }
            });
        }

        void typeError(String path, String expected, JsonNode actual) {
            typeErrors.add(new FieldError(path, "must be " + expected + ", not " + actual.getNodeType().name()
                    .toLowerCase(java.util.Locale.ROOT)));
        }

        void throwIfAny() {
            if (!typeErrors.isEmpty()) {
                throw new BadRequestException("The request body has fields of the wrong JSON type", typeErrors);
            }
            if (!invalid.isEmpty()) {
                throw new InvalidTaskException(invalid);
            }
        }
    }
}
