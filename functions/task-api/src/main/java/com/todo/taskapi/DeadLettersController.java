package com.todo.taskapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.todo.domain.DeadLetterInbox;
import com.todo.domain.DeadLetterInbox.DeadLetter;
import com.todo.events.EventCatalog;
import com.todo.events.EventJson;
import com.todo.events.EventPublisher;
import com.todo.function.Problem;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.swagger.v3.oas.annotations.Hidden;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * The operators' view of the dead-letter inbox (docs/operations.md): list, show, replay, delete. Only a token whose
 * {@code roles} claim holds {@value #ADMIN_ROLE} gets in; any other user's token is a 403.
 */
@Controller("/admin/dead-letters")
@Secured(DeadLettersController.ADMIN_ROLE)
@ExecuteOn(TaskExecutors.BLOCKING)
@Hidden // not part of the user API's document; docs/operations.md describes it
public class DeadLettersController {

    public static final String ADMIN_ROLE = "todo-admin";
    private static final Logger LOG = LoggerFactory.getLogger(DeadLettersController.class);
    /** A replay publishes to the catalog's topics only, whatever topic a dead letter names. */
    private static final Set<String> TOPICS = Set.copyOf(EventCatalog.TOPICS);

    private final DeadLetterInbox inbox;
    private final EventPublisher publisher;

    public DeadLettersController(DeadLetterInbox inbox, EventPublisher publisher) {
        this.inbox = inbox;
        this.publisher = publisher;
    }

    @Get(produces = MediaType.APPLICATION_JSON)
    public byte[] list(@Nullable @QueryValue String topic, @Nullable @QueryValue String type,
                       @Nullable @QueryValue String since, @Nullable @QueryValue String until,
                       @Nullable @QueryValue String page, @Nullable @QueryValue String size) {
        TasksController.text("topic", topic, 200);
        TasksController.text("type", type, 200);
        int max = TasksController.MAX_PAGE_SIZE;
        DeadLetterInbox.Query query = new DeadLetterInbox.Query(topic, type, TasksController.instant("since", since),
                TasksController.instant("until", until), TasksController.integer("page", page, 0, 0,
                Integer.MAX_VALUE / max), TasksController.integer("size", size, 20, 1, max));
        List<DeadLetter> letters = inbox.list(query);
        ObjectNode answer = EventJson.MAPPER.createObjectNode();
        ArrayNode items = answer.putArray("items");
        letters.forEach(letter -> items.add(summary(letter)));
        answer.put("page", query.page()).put("size", query.size()).put("total", inbox.count(query));
        return EventJson.bytes(answer);
    }

    @Get(uri = "/{id}", produces = MediaType.APPLICATION_JSON)
    public byte[] get(String id) {
        return EventJson.bytes(detail(found(id)));
    }

    /** Publishes the stored CloudEvent again, same id, to the topic it was dead-lettered from; consumers dedupe. */
    @Post(uri = "/{id}/replay", produces = MediaType.APPLICATION_JSON)
    @Consumes(MediaType.ALL)
    public HttpResponse<?> replay(String id, Authentication admin) {
        DeadLetter letter = found(id);
        if (!TOPICS.contains(letter.topic())) {
            return Problem.response(HttpStatus.CONFLICT, "dead letter " + id + " came from topic " + letter.topic()
                    + ", which is not one of the event catalog's; it is not replayed");
        }
        try {
            publisher.publish(new EventPublisher.OutgoingEvent(letter.id(), letter.type(), letter.topic(),
                    letter.subject() != null ? letter.subject() : letter.id(), DeadLetterInbox.eventBytes(letter)));
        } catch (RuntimeException e) {
            LOG.warn("replay of dead letter {} to {} failed: {}", id, letter.topic(), e.toString());
            return Problem.response(HttpStatus.SERVICE_UNAVAILABLE, "the event could not be published now; "
                    + "nothing was replayed. Try again shortly.");
        }
        inbox.markReplayed(id);
        LOG.info("dead letter {} ({}) replayed to {} by {}", id, letter.type(), letter.topic(), admin.getName());
        // published: answered as replayed even if another operator deleted the entry meanwhile
        return HttpResponse.ok(EventJson.bytes(detail(inbox.find(id).orElse(letter))))
                .contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    @Delete("/{id}")
    public HttpResponse<Void> delete(String id) {
        if (!inbox.delete(id)) {
            throw new DeadLetterNotFound(id);
        }
        return HttpResponse.noContent();
    }

    private DeadLetter found(String id) {
        return inbox.find(id).orElseThrow(() -> new DeadLetterNotFound(id));
    }

    private static ObjectNode summary(DeadLetter letter) {
        ObjectNode node = EventJson.MAPPER.createObjectNode();
        node.put("id", letter.id()).put("topic", letter.topic()).put("type", letter.type())
                .put("subject", letter.subject()).put("reason", letter.reason())
                .put("firstSeen", letter.firstSeen().toString()).put("lastSeen", letter.lastSeen().toString())
                .put("deliveries", letter.deliveries()).put("replays", letter.replays())
                .put("replayedAt", letter.replayedAt() == null ? null : letter.replayedAt().toString());
        return node;
    }

    private static ObjectNode detail(DeadLetter letter) {
        ObjectNode node = summary(letter);
        try {
            node.set("event", EventJson.MAPPER.readTree(letter.event()));
        } catch (IOException e) {
            throw new IllegalStateException("a stored dead letter is not JSON", e);
        }
        return node;
    }

    /** No such dead letter (never recorded, or deleted). */
    static class DeadLetterNotFound extends RuntimeException {
        DeadLetterNotFound(String id) {
            super("No dead letter " + (id.length() > 100 ? id.substring(0, 100) + "…" : id));
        }
    }
}
