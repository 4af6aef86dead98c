package com.todo.taskcompleted;

import com.todo.events.EventType;
import com.todo.events.TaskSnapshot;
import com.todo.function.EventEndpoint;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.util.Set;

/** {@code POST /task-completed}: com.todo.task.completed events, in any CloudEvent shape (architecture D4). */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
public class TaskCompletedFunction {

    private final EventEndpoint endpoint;
    private final TaskCompletedService service;

    public TaskCompletedFunction(EventEndpoint endpoint, TaskCompletedService service) {
        this.endpoint = endpoint;
        this.service = service;
    }

    @Post(uri = "/task-completed", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    public HttpResponse<String> handle(HttpRequest<?> request, @Nullable @Body byte[] body) {
        return endpoint.handle("task-completed", request, body, Set.of(EventType.TASK_COMPLETED),
                event -> service.onCompleted((TaskSnapshot) event.data()));
    }
}
