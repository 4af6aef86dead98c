package com.todo.domain;

import com.todo.events.TaskLimits;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** docs/api.md's table of limits names every TaskLimits constant with its value, and nothing else. */
class DocumentedLimitsTest {

    @Test
    void theDocumentedLimitsAreTheCodes() throws Exception {
        String doc = Files.readString(Path.of("../../../docs/api.md"));
        Map<String, String> documented = new HashMap<>();
        Matcher row = Pattern.compile("(?m)^\\| `([A-Z_]+)` \\| ([^|]+?) \\|").matcher(doc);
        while (row.find()) {
            documented.put(row.group(1), row.group(2).strip());
        }
        Map<String, String> code = new HashMap<>();
        for (Field field : TaskLimits.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers())) {
                code.put(field.getName(), String.valueOf(field.get(null)));
            }
        }
        assertEquals(code, documented);
    }
}
