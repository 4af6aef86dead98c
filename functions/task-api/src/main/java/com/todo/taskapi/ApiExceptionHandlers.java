package com.todo.taskapi;

import com.todo.function.Problem;
import com.todo.store.FieldError;
import com.todo.store.InvalidTaskException;
import com.todo.store.TaskNotFoundException;
import io.micronaut.context.annotation.Factory;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

import java.util.List;

/** Maps the API's own exceptions to problem responses; nothing was written when any of them is thrown. */
@Factory
public class ApiExceptionHandlers {

    @Singleton
    ExceptionHandler<BadRequestException, ?> badRequest() {
        return (request, e) -> Problem.response(HttpStatus.BAD_REQUEST, e.getMessage(), fields(e.errors()));
    }

    @Singleton
    ExceptionHandler<InvalidTaskException, ?> invalidTask() {
        return (request, e) -> Problem.response(HttpStatus.UNPROCESSABLE_ENTITY,
                "The task breaks " + e.errors().size() + " rule(s): " + e.getMessage(), fields(e.errors()));
    }

    @Singleton
    ExceptionHandler<TaskNotFoundException, ?> notFound() {
        return (request, e) -> Problem.response(HttpStatus.NOT_FOUND, e.getMessage());
    }

    @Singleton
    ExceptionHandler<NotificationsController.NotificationNotFound, ?> notificationNotFound() {
        return (request, e) -> Problem.response(HttpStatus.NOT_FOUND, e.getMessage());
    }

    private static List<Problem.FieldProblem> fields(List<FieldError> errors) {
        return errors.stream().map(e -> new Problem.FieldProblem(e.field(), e.message())).toList();
    }
}
