package com.todo.taskdeleted;

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

/** {@code POST /task-deleted}: com.todo.task.deleted events, in any CloudEvent shape (architecture D4). */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
public class TaskDeletedFunction {

    private final EventEndpoint endpoint;
    private final TaskDeletedService service;

    public TaskDeletedFunction(EventEndpoint endpoint, TaskDeletedService service) {
        this.endpoint = endpoint;
        this.service = service;
    }

    @Post(uri = "/task-deleted", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    public HttpResponse<String> handle(HttpRequest<?> request, @Nullable @Body byte[] body) {
        return endpoint.handle("task-deleted", request, body, Set.of(EventType.TASK_DELETED),
                event -> service.onDeleted((TaskSnapshot) event.data()));
    }
}
