package com.todo.taskapi;

import com.todo.domain.DeadLetterInbox;
import com.todo.function.EventOutcome;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Hidden;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * {@code POST /dead-letters}: where the gateway forwards what the dead-letter topics deliver (an internal route: the
 * app token). Answers in daprd's terms: stored (also again) is SUCCESS, a delivery that is no CloudEvent is DROP,
 * a database failure is RETRY.
 */
@Controller("/dead-letters")
@ExecuteOn(TaskExecutors.BLOCKING)
@Hidden
public class DeadLetterIntake {

    /** The reason a function gave for dropping the event, when the gateway saw it: URL-encoded UTF-8. */
    public static final String REASON_HEADER = "todo-drop-reason";
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterIntake.class);

    private final DeadLetterInbox inbox;

    public DeadLetterIntake(DeadLetterInbox inbox) {
        this.inbox = inbox;
    }

    @Post(consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    public HttpResponse<String> receive(@Nullable @Body byte[] body,
                                        @Nullable @Header(REASON_HEADER) String encodedReason) {
        String reason = decode(encodedReason);
        try {
            String id = inbox.record(body, reason);
            LOG.warn("dead letter {} recorded{}", id, reason == null ? "" : ": " + reason);
            return EventOutcome.SUCCESS.response();
        } catch (DeadLetterInbox.NotADeadLetter e) {
            LOG.error("DROP a dead-letter delivery that cannot be kept: {}", e.getMessage());
            return EventOutcome.DROP.response();
        } catch (RuntimeException e) {
            LOG.warn("RETRY a dead letter: {}", e.toString());
            return EventOutcome.RETRY.response();
        }
    }

    private static String decode(String reason) {
        if (reason == null) {
            return null;
        }
        try {
            return URLDecoder.decode(reason, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return reason;
        }
    }
}
