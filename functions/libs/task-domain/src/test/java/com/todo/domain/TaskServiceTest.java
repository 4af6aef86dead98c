package com.todo.domain;

import com.todo.embedded.EmbeddedDatabase;
import com.todo.events.EventPublisher;
import com.todo.events.RecurringScheduled;
import com.todo.events.TaskSnapshot;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The task domain on its own (no HTTP): each change is one transaction with exactly one outbox row, or nothing. */
class TaskServiceTest {

    private static ApplicationContext context;
    private static TaskService service;
    private static OutboxRepository outbox;

    @BeforeAll
    static void start() {
        String url = EmbeddedDatabase.shared().newDatabase();
        Migrate.run(url, EmbeddedDatabase.USER, "");
        context = ApplicationContext.run(Map.of("datasources.default.url", url,
                "datasources.default.username", EmbeddedDatabase.USER, "datasources.default.password", "",
                "datasources.default.driver-class-name", "org.postgresql.Driver", "todo.warmup.enabled", false,
                "test.task-service", true));
        service = context.getBean(TaskService.class);
        outbox = context.getBean(OutboxRepository.class);
    }

    @AfterAll
    static void stop() {
        context.close();
    }

    @Test
    void eachChangeBumpsTheVersionAndAppendsOneEventOfItsKind() {
        TaskSnapshot created = service.create("ann", draft("Water the plants"));
        assertEquals(1, created.version());
        TaskSnapshot renamed = service.update("ann", created.id(), t -> retitled(t, "Water the cactus"));
        assertEquals(2, renamed.version());
        TaskSnapshot completed = service.complete("ann", created.id());
        assertEquals(3, completed.version());
        service.delete("ann", created.id());

        assertEquals(List.of("com.todo.task.created", "com.todo.task.updated", "com.todo.task.completed",
                "com.todo.task.deleted"), types(created.id()));
        assertTrue(outbox.findByAggregateIdOrderBySeq(created.id().toString()).get(3).payload().contains("\"version\":4"),
                "the deletion's tombstone carries the deletion's version");
    }

    @Test
    void aChangeThatChangesNothingWritesNothing() {
        TaskSnapshot created = service.create("ann", draft("Call the dentist"));
        TaskSnapshot same = service.update("ann", created.id(), TaskService::draftOf);
        assertEquals(created, same);
        service.complete("ann", created.id());
        TaskSnapshot again = service.complete("ann", created.id());
        assertEquals(2, again.version(), "completing twice is one completion");
        assertEquals(List.of("com.todo.task.created", "com.todo.task.completed"), types(created.id()));
    }

    @Test
    void anotherUsersTaskIsNotFoundAndUnchanged() {
        TaskSnapshot created = service.create("ann", draft("Pay the rent"));
        Function<TaskSnapshot, TaskDraft> rename = t -> retitled(t, "mine now");
        assertThrows(TaskNotFoundException.class, () -> service.update("bob", created.id(), rename));
        assertThrows(TaskNotFoundException.class, () -> service.delete("bob", created.id()));
        assertTrue(service.find("bob", created.id()).isEmpty());
        assertEquals(created, service.find("ann", created.id()).orElseThrow());
        assertEquals(List.of("com.todo.task.created"), types(created.id()));
    }

    @Test
    void aTaskThatBreaksARuleIsRefusedAndNothingIsWritten() {
        long before = outbox.count();
        assertThrows(InvalidTaskException.class, () -> service.create("ann", draft(" ")));
        TaskDraft completed = new TaskDraft("Done already", null, "completed", "medium", List.of(), null, "UTC",
                List.of(), null);
        assertThrows(InvalidTaskException.class, () -> service.create("ann", completed));
        assertEquals(before, outbox.count());
    }

    @Test
    void anOccurrenceIsCreatedOnceHoweverOftenItIsAsked() {
        UUID series = UUID.randomUUID();
        UUID next = UUID.randomUUID();
        Instant at = Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        RecurringScheduled occurrence = new RecurringScheduled(series, series, next, "ann", at,
                new RecurringScheduled.Template("Stretch", null, "low", List.of("health"), "UTC", List.of("PT10M"),
                        "FREQ=DAILY", at.minus(1, ChronoUnit.DAYS)));
        assertTrue(service.createOccurrence(occurrence, "/recurring-scheduled"));
        assertFalse(service.createOccurrence(occurrence, "/recurring-scheduled"));

        TaskSnapshot created = service.find("ann", next).orElseThrow();
        assertEquals(series, created.seriesId());
        assertEquals(at, created.dueAt());
        assertEquals(1, created.reminders().size());
        assertEquals(List.of("com.todo.task.created"), types(next));
    }

    private static TaskDraft draft(String title) {
        return new TaskDraft(title, null, "pending", "medium", List.of(), null, "UTC", List.of(), null);
    }

    private static TaskDraft retitled(TaskSnapshot task, String title) {
        TaskDraft d = TaskService.draftOf(task);
        return new TaskDraft(title, d.description(), d.status(), d.priority(), d.tags(), d.dueAt(), d.timeZone(),
                d.reminders(), d.rule());
    }

    private static List<String> types(UUID task) {
        return outbox.findByAggregateIdOrderBySeq(task.toString()).stream().map(OutboxRow::type).toList();
    }

    /** The relay's port: this test reads the outbox rows, so a publish goes nowhere. */
    @Singleton
    @Requires(property = "test.task-service")
    static class NoBroker implements EventPublisher {
        @Override
        public void publish(OutgoingEvent event) {
        }
    }
}
