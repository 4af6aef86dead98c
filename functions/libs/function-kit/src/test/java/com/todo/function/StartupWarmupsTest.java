package com.todo.function;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import jakarta.inject.Singleton;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StartupWarmupsTest {

    @Test
    void startupRunsEveryWarmupAndAFailingOneDoesNotStopTheApp() throws Exception {
        try (ApplicationContext context = ApplicationContext.run(Map.of("test.warmups", true))) {
            StartupWarmups warmups = context.getBean(StartupWarmups.class);
            assertTrue(warmups.awaitFinished(Duration.ofSeconds(10)), "warm-up never finished");
            assertEquals(0, context.getBean(Counting.class).ran.getCount());
            List<String> done = warmups.done();
            assertTrue(done.contains("Counting"), done::toString);
            assertTrue(done.contains("Greeting"), "controllers are created too: " + done);
            assertTrue(done.contains("EventWarmup"), done::toString);
            assertFalse(done.contains("Failing"), "a failed warm-up is not reported done: " + done);
            assertTrue(context.isRunning());
        }
    }

    @Test
    void eventWarmupPreparesOnlyTheTypesTheFunctionHandles() {
        try (ApplicationContext context = ApplicationContext.run(Map.of("micronaut.application.name", "reminder-due"))) {
            assertEquals(java.util.Set.of(com.todo.events.EventType.REMINDER_DUE),
                    context.getBean(EventWarmup.class).handled());
        }
        try (ApplicationContext context = ApplicationContext.run(Map.of("micronaut.application.name", "task-api"))) {
            assertTrue(context.getBean(EventWarmup.class).handled().isEmpty(), "the API reads no events");
        }
    }

    @Test
    void eventWarmupDecodesTheSchemaExampleOfEveryTypeAFunctionHandles() throws Exception {
        for (com.todo.events.EventType type : com.todo.events.EventType.values()) {
            if (type.handler().isEmpty()) {
                continue;
            }
            EventWarmup warmup = new EventWarmup(type.handler().get());
            assertEquals(java.util.Set.of(type), warmup.handled());
            warmup.warm();
            assertTrue(EventWarmup.decoded(type), type.type());
            EventWarmup.decodeExample(type); // once more, though prepared: an example the codec rejected throws here
        }
    }

    @Test
    void warmupCanBeSwitchedOff() {
        try (ApplicationContext context = ApplicationContext.run(Map.of("test.warmups", true,
                "todo.warmup.enabled", false))) {
            assertFalse(context.containsBean(StartupWarmups.class));
            assertEquals(1, context.getBean(Counting.class).ran.getCount(), "nothing warmed at startup");
        }
    }

    @Singleton
    @Requires(property = "test.warmups")
    static class Counting implements Warmup {
        final CountDownLatch ran = new CountDownLatch(1);

        @Override
        public void warm() {
            ran.countDown();
        }
    }

    @Controller("/warm-up-test")
    @Requires(property = "test.warmups")
    static class Greeting {
        @Get
        String hello() {
            return "hello";
        }
    }

    @Singleton
    @Requires(property = "test.warmups")
    static class Failing implements Warmup {
        @Override
        public void warm() {
            throw new IllegalStateException("no database yet");
        }
    }
}
