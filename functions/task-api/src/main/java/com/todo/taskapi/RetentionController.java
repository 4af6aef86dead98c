package com.todo.taskapi;

import com.todo.domain.Retention;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Hidden;

import java.util.Map;

/** {@code POST /maintenance/retention}: the gateway's retention job (hourly) deletes rows past their window. */
@Controller("/maintenance")
@ExecuteOn(TaskExecutors.BLOCKING)
@Hidden
public class RetentionController {

    private final Retention retention;

    public RetentionController(Retention retention) {
        this.retention = retention;
    }

    @Post(uri = "/retention", produces = MediaType.APPLICATION_JSON)
    @Consumes(MediaType.ALL)
    public Map<String, Map<String, Integer>> run() {
        return Map.of("deleted", retention.run().rows());
    }
}
