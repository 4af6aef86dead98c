package com.todo.gateway;

import com.todo.events.EventCatalog;
import com.todo.events.EventType;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.env.Environment;
import jakarta.inject.Singleton;

import java.net.URI;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where each function is reached: its Knative URL {@code http://<function>.<namespace>.svc.cluster.local}, or the
 * base URL configured as {@code todo.gateway.functions.<function>.url} (local mode points all of them at its own
 * port). Known functions are the catalog's handlers, task-api and any configured one, and {@value #DEAD_LETTERS}:
 * task-api's intake of what the dead-letter topics deliver.
 */
@Singleton
public class FunctionDirectory {

    private static final String PREFIX = "todo.gateway.functions";
    /** The destination of the dead-letter topics' Subscriptions: task-api's {@code POST /dead-letters}. */
    public static final String DEAD_LETTERS = "dead-letters";

    private final Environment environment;
    private final String namespace;
    private final Set<String> known = new TreeSet<>();
    private final Set<String> databaseFunctions;

    public FunctionDirectory(Environment environment,
                             @Value("${todo.gateway.namespace:default}") String namespace,
                             @Value("${todo.gateway.database-functions:}") String databaseFunctions) {
        this.environment = environment;
        this.namespace = namespace;
        Arrays.stream(EventType.values()).map(EventType::handler).flatMap(Optional::stream).forEach(known::add);
        // the catalog's, unless configured otherwise
        this.databaseFunctions = new TreeSet<>(databaseFunctions.isBlank() ? EventCatalog.OUTBOX_PUBLISHERS
                : Arrays.stream(databaseFunctions.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList());
        known.addAll(this.databaseFunctions);
        known.addAll(environment.getPropertyEntries(PREFIX));
        known.add(DEAD_LETTERS);
    }

    public boolean isKnown(String function) {
        return known.contains(function);
    }

    /** The functions that own outbox rows, each flushed by a maintenance job. */
    public Set<String> databaseFunctions() {
        return databaseFunctions;
    }

    public URI baseUrl(String function) {
        String base = environment.getProperty(PREFIX + "." + function + ".url", String.class)
                .orElse("http://" + function + "." + namespace + ".svc.cluster.local");
        return URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
    }

    /** The function's event route, {@code POST /<function>} (architecture D4). */
    public URI eventUrl(String function) {
        return URI.create(baseUrl(function.equals(DEAD_LETTERS) ? EventCatalog.DEAD_LETTER_INBOX : function) + "/" + function);
    }
}
