package com.todo.dapr;

import com.todo.fake.FakeDaprSidecar;
import com.todo.function.JobScheduler;
import io.dapr.v1.DaprJobsProtos;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DaprJobSchedulerTest {

    @Test
    void schedulesWithDueTimeOverwriteTheLongFailurePolicyAndTheData() {
        try (FakeDaprSidecar sidecar = new FakeDaprSidecar().start();
             ApplicationContext context = ApplicationContext.run(Map.of("todo.dapr.grpc-port", sidecar.port(), "todo.dapr.http-port", sidecar.httpPort()))) {
            JobScheduler jobs = context.getBean(JobScheduler.class);
            jobs.scheduleOnce("reminder-1", Instant.parse("2026-12-24T17:30:00.123456Z"), "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
            jobs.scheduleOnce("reminder-1", Instant.parse("2026-12-24T18:00:00Z"), "{\"a\":2}".getBytes(StandardCharsets.UTF_8));
            jobs.scheduleEvery("maintenance", "@every 1m", new byte[0]);

            DaprJobsProtos.ScheduleJobRequest reminder = sidecar.jobs().get("reminder-1");
            assertTrue(reminder.getOverwrite());
            assertEquals("2026-12-24T18:00:00Z", reminder.getJob().getDueTime());
            assertEquals("{\"a\":2}", reminder.getJob().getData().getValue().toStringUtf8());
            assertEquals(10, reminder.getJob().getFailurePolicy().getConstant().getInterval().getSeconds(),
                    "10 s between retries (the SDK's own scheduleJob would send 0 s)");
            assertEquals(360, reminder.getJob().getFailurePolicy().getConstant().getMaxRetries());
            assertEquals("@every 1m", sidecar.jobs().get("maintenance").getJob().getSchedule());

            jobs.delete("reminder-1");
            jobs.delete("never-existed");
            assertEquals(java.util.Set.of("maintenance"), sidecar.jobs().keySet());
        }
    }

    @Test
    void aScheduleTheSchedulerCannotParseIsRejectedNotUnavailable() {
        try (FakeDaprSidecar sidecar = new FakeDaprSidecar().start();
             ApplicationContext context = ApplicationContext.run(Map.of("todo.dapr.grpc-port", sidecar.port(), "todo.dapr.http-port", sidecar.httpPort()))) {
            JobScheduler jobs = context.getBean(JobScheduler.class);
            assertThrows(JobScheduler.RejectedException.class, () -> jobs.scheduleEvery("m", "*/5 * * * *", new byte[0]));
            assertThrows(JobScheduler.RejectedException.class, () -> jobs.scheduleOnce("r",
                    Instant.parse("+10000-01-01T00:00:00Z"), new byte[0]));
        }
    }

    @Test
    void aSidecarThatIsDownIsUnavailable() {
        FakeDaprSidecar down = new FakeDaprSidecar();
        try (ApplicationContext context = ApplicationContext.run(Map.of("todo.dapr.grpc-port", down.port(), "todo.dapr.http-port", down.httpPort()))) {
            JobScheduler jobs = context.getBean(JobScheduler.class);
            assertThrows(JobScheduler.UnavailableException.class,
                    () -> jobs.scheduleOnce("x", Instant.now().plusSeconds(60), new byte[0]));
            assertThrows(JobScheduler.UnavailableException.class, () -> jobs.delete("x"));
        }
    }
}
