package com.todo.reminderdue;

import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.util.Map;

/** {@code POST /reminders/sweep}: the gateway's minute job that catches reminders whose job was lost (D6). */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
public class ReminderSweepController {

    private final ReminderDueFunction reminders;

    public ReminderSweepController(ReminderDueFunction reminders) {
        this.reminders = reminders;
    }

    @Post("/reminders/sweep")
    @Consumes(MediaType.ALL)
    public Map<String, Integer> sweep() {
        return Map.of("notified", reminders.sweep());
    }
}
