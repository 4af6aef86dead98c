package com.todo.platform;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One version of each platform piece: platform/versions.env, platform/go.mod and the build's Kafka clients agree. */
class PlatformTest {

    private static String first(String text, String regex) {
        Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(text);
        assertTrue(m.find(), regex);
        return m.group(1);
    }

    @Test
    void versionsEnvGoModAndThePomAgree() throws Exception {
        Platform platform = Platform.locate();
        Map<String, String> versions = Platform.readEnvFile(platform.repository().resolve("platform/versions.env"));
        String goMod = Files.readString(platform.repository().resolve("platform/go.mod"));
        assertEquals("v" + versions.get("DAPR_VERSION"), first(goMod, "^require github.com/dapr/dapr (\\S+)$"));
        String pom = Files.readString(platform.repository().resolve("pom.xml"));
        assertEquals(versions.get("KAFKA_VERSION"), first(pom, "<kafka.version>([^<]+)</kafka.version>"),
                "the tests' Kafka clients are the broker's version");
        assertTrue(platform.daprd().toString().endsWith("dapr-" + versions.get("DAPR_VERSION") + "/daprd"));
        String fuzzer = Files.readString(platform.repository().resolve("platform/schemathesis/requirements.txt"));
        assertEquals(versions.get("SCHEMATHESIS_VERSION"), first(fuzzer, "^schemathesis==(\\S+)$"));
    }

    @Test
    void theTopicsComeFromTopicsMd() {
        Map<String, Integer> topics = ClusterTopology.topics(Platform.locate().repository()
                .resolve("dapr-components/topics.md"));
        assertEquals(Map.of("task-events", 6, "reminder-events", 6, "recurring-events", 3, "notification-events", 3,
                "task-events-dlq", 1, "reminder-events-dlq", 1, "recurring-events-dlq", 1), topics);
    }

    @Test
    void theStateStoresConnectionStringComesFromTheJdbcUrl() {
        assertEquals("host=db.local port=5433 user=todo dbname=tasks sslmode=disable password=s3cret",
                ClusterTopology.pgxConnection("jdbc:postgresql://db.local:5433/tasks", "todo", "s3cret"));
        assertEquals("host=localhost port=5432 user=postgres dbname=postgres sslmode=disable",
                ClusterTopology.pgxConnection("jdbc:postgresql://localhost/postgres", "postgres", ""));
        assertEquals("host=h port=5432 user=u dbname=d sslmode=disable password='it\\'s a \\\\ secret'",
                ClusterTopology.pgxConnection("jdbc:postgresql://h:5432/d", "u", "it's a \\ secret"));
    }
}
