package com.todo.gateway;

import com.todo.events.EventPublisher;
import com.todo.function.JobScheduler;
import com.todo.function.Problem;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.regex.Pattern;

/**
 * The schedules API the functions call (through Dapr service invocation): each schedule is one Dapr job owned by
 * the gateway, whose data is the request, so the callback reaches the always-on gateway (architecture D3).
 */
@Controller("/schedules")
@ExecuteOn(TaskExecutors.BLOCKING)
public class SchedulesController {

    private static final Logger LOG = LoggerFactory.getLogger(SchedulesController.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");

    private final JobScheduler jobs;
    private final EventPublisher publisher;
    private final MaintenanceJobs maintenance;

    public SchedulesController(JobScheduler jobs, EventPublisher publisher, MaintenanceJobs maintenance) {
        this.jobs = jobs;
        this.publisher = publisher;
        this.maintenance = maintenance;
    }

    /** 204; a due time that has passed fires at once (and removes an older job of that name). */
    @Put("/{name}")
    @Consumes(MediaType.ALL)
    public HttpResponse<?> put(String name, @Nullable @Body byte[] body) {
        HttpResponse<?> badName = checkName(name);
        if (badName != null) {
            return badName;
        }
        ScheduledEvent scheduled;
        try {
            scheduled = ScheduledEvent.parse(body);
        } catch (IllegalArgumentException e) {
            return Problem.response(HttpStatus.BAD_REQUEST, e.getMessage());
        }
        try {
            if (scheduled.dueTime().isAfter(Instant.now())) {
                jobs.scheduleOnce(name, scheduled.dueTime(), body);
            } else {
                jobs.delete(name);
                publisher.publish(scheduled.outgoing(name));
                LOG.info("schedule {} was due at {}: published event {} now", name, scheduled.dueTime(),
                        scheduled.event().getId());
            }
        } catch (JobScheduler.UnavailableException | EventPublisher.TransientPublishException e) {
            return unavailable(name, e);
        } catch (JobScheduler.RejectedException e) {
            LOG.warn("schedule {} refused by the scheduler: {}", name, e.getMessage());
            return Problem.response(HttpStatus.UNPROCESSABLE_ENTITY, "the job scheduler refused schedule " + name);
        }
        return HttpResponse.noContent();
    }

    /** 204, also when there is no such schedule. */
    @Delete("/{name}")
    public HttpResponse<?> delete(String name) {
        HttpResponse<?> badName = checkName(name);
        if (badName != null) {
            return badName;
        }
        try {
            jobs.delete(name);
        } catch (JobScheduler.UnavailableException e) {
            return unavailable(name, e);
        }
        return HttpResponse.noContent();
    }

    private HttpResponse<?> checkName(String name) {
        if (!NAME.matcher(name).matches()) {
            return Problem.response(HttpStatus.BAD_REQUEST,
                    "a schedule name is 1 to 200 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        if (maintenance.isMaintenance(name)) {
            return Problem.response(HttpStatus.BAD_REQUEST, name + " is one of the gateway's own jobs");
        }
        return null;
    }

    private static HttpResponse<?> unavailable(String name, RuntimeException e) {
        LOG.warn("schedule {}: {}", name, e.getMessage());
        return Problem.response(HttpStatus.SERVICE_UNAVAILABLE, "the scheduler is unavailable; retry");
    }
}
