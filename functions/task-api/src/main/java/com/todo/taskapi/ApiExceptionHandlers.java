package com.todo.taskapi;

import com.todo.function.Problem;
import com.todo.domain.DatabaseUnavailable;
import com.todo.domain.FieldError;
import com.todo.domain.IdempotencyKeys;
import com.todo.domain.InvalidTaskException;
import com.todo.domain.TaskNotFoundException;
import com.todo.domain.VersionMismatchException;
import io.micronaut.context.annotation.Factory;
import io.micronaut.data.connection.exceptions.ConnectionException;
import io.micronaut.data.connection.jdbc.exceptions.CannotGetJdbcConnectionException;
import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import io.micronaut.transaction.exceptions.TransactionException;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/** Maps the API's own exceptions to problem responses; nothing was written when any of them is thrown. */
@Factory
public class ApiExceptionHandlers {

    private static final Logger LOG = LoggerFactory.getLogger(ApiExceptionHandlers.class);

    /** What a client waits before it tries again when the database is unreachable (a restart takes seconds). */
    static final String RETRY_AFTER_SECONDS = "2";

    /*
     * The database unreachable: 503 with Retry-After, so that a client tries again, instead of the 500 of a bug.
     * These are the data layer's failures; one that is not about the connection stays a 500 with its log id.
     */
    @Singleton
    ExceptionHandler<ConnectionException, ?> noConnection(ErrorResponseProcessor<?> errors) {
        return (request, e) -> unavailableOrServerError(errors, request, e);
    }

    @Singleton
    ExceptionHandler<CannotGetJdbcConnectionException, ?> noJdbcConnection(ErrorResponseProcessor<?> errors) {
        return (request, e) -> unavailableOrServerError(errors, request, e);
    }

    @Singleton
    ExceptionHandler<DataAccessException, ?> dataAccess(ErrorResponseProcessor<?> errors) {
        return (request, e) -> unavailableOrServerError(errors, request, e);
    }

    @Singleton
    ExceptionHandler<TransactionException, ?> transaction(ErrorResponseProcessor<?> errors) {
        return (request, e) -> unavailableOrServerError(errors, request, e);
    }

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

    /** If-Match named another version: the current ETag comes with the 412, nothing was written. */
    @Singleton
    ExceptionHandler<VersionMismatchException, ?> versionMismatch() {
        return (request, e) -> Problem.response(HttpStatus.PRECONDITION_FAILED, e.getMessage())
                .header(HttpHeaders.ETAG, EntityTags.of(e.currentVersion()));
    }

    @Singleton
    ExceptionHandler<IdempotencyKeys.KeyReusedException, ?> idempotencyKeyReused() {
        return (request, e) -> Problem.response(HttpStatus.UNPROCESSABLE_ENTITY, e.getMessage());
    }

    @Singleton
    ExceptionHandler<NotificationsController.NotificationNotFound, ?> notificationNotFound() {
        return (request, e) -> Problem.response(HttpStatus.NOT_FOUND, e.getMessage());
    }

    @Singleton
    ExceptionHandler<UnprocessableRequestException, ?> unprocessable() {
        return (request, e) -> Problem.response(HttpStatus.UNPROCESSABLE_ENTITY, e.getMessage(),
                List.of(new Problem.FieldProblem(e.field(), e.getMessage())));
    }

    @Singleton
    ExceptionHandler<NotificationSettingsController.ConfirmationNotSent, ?> confirmationNotSent() {
        return (request, e) -> Problem.response(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage())
                .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
    }

    @Singleton
    ExceptionHandler<DeadLettersController.DeadLetterNotFound, ?> deadLetterNotFound() {
        return (request, e) -> Problem.response(HttpStatus.NOT_FOUND, e.getMessage());
    }

    private static HttpResponse<?> unavailableOrServerError(ErrorResponseProcessor<?> errors, HttpRequest<?> request,
                                                            RuntimeException e) {
        if (DatabaseUnavailable.causedBy(e)) {
            LOG.warn("{} {}: the database is unreachable, answered 503: {}", request.getMethodName(), request.getPath(),
                    e.toString());
            return Problem.response(HttpStatus.SERVICE_UNAVAILABLE,
                            "The tasks cannot be reached right now; nothing was changed. Try again shortly.")
                    .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
        }
        return errors.processResponse(ErrorContext.builder(request).cause(e).errorMessage("Internal Server Error")
                .build(), HttpResponse.serverError());
    }

    private static List<Problem.FieldProblem> fields(List<FieldError> errors) {
        return errors.stream().map(e -> new Problem.FieldProblem(e.field(), e.message())).toList();
    }
}
