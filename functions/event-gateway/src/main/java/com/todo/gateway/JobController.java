package com.todo.gateway;

import com.todo.events.CrashPoints;
import com.todo.events.EventPublisher;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;

/**
 * {@code POST /job/{name}}: daprd calls it when a job of the gateway fires (at least once). A schedule's job
 * publishes its stored event, keeping the event's id, so a replayed job publishes the same event again and the
 * consumer's idempotency collapses it. 2xx means done; a 500 makes Dapr retry per the job's failure policy.
 */
@Controller("/job")
@ExecuteOn(TaskExecutors.BLOCKING)
public class JobController {

    private static final Logger LOG = LoggerFactory.getLogger(JobController.class);

    private final EventPublisher publisher;
    private final MaintenanceJobs maintenance;
    private final GatewayMetrics metrics;

    public JobController(EventPublisher publisher, MaintenanceJobs maintenance, GatewayMetrics metrics) {
        this.publisher = publisher;
        this.maintenance = maintenance;
        this.metrics = metrics;
    }

    @Post("/{name}")
    @Consumes(MediaType.ALL)
    public HttpResponse<?> fire(String name, @Nullable @Body byte[] data) {
        if (maintenance.isMaintenance(name)) {
            return maintenance.run(name) ? HttpResponse.ok() : HttpResponse.status(HttpStatus.INTERNAL_SERVER_ERROR);
        }
        ScheduledEvent scheduled;
        try {
            scheduled = ScheduledEvent.parse(data);
        } catch (IllegalArgumentException e) {
            // retrying cannot repair the data: done, with the reason logged
            LOG.error("job {} carries no schedulable event, dropped: {}", name, e.getMessage());
            return HttpResponse.ok();
        }
        CrashPoints.reached("job-fired-before-publish");
        try {
            publisher.publish(scheduled.outgoing(name));
        } catch (RuntimeException e) {
            LOG.warn("job {}: publishing event {} failed, Dapr retries: {}", name, scheduled.event().getId(), e.toString());
            return HttpResponse.status(HttpStatus.INTERNAL_SERVER_ERROR);
        }
        metrics.scheduleLateness(scheduled.event().getType(), Duration.between(scheduled.dueTime(), Instant.now()));
        LOG.info("job {} fired: published event {} ({}) to {}", name, scheduled.event().getId(),
                scheduled.event().getType(), scheduled.topic());
        return HttpResponse.ok();
    }
}
