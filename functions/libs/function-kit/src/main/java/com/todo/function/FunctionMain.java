package com.todo.function;

import com.todo.events.EventRejected;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.Micronaut;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.annotation.Repeatable;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * Starts a deployable. Alongside Micronaut's startup, a thread does work that would otherwise lie on the cold start's
 * critical path (found with async-profiler; the figures are in docs/benchmarks.md): on the main thread, BigDecimal's
 * static tables (Micronaut's {@code MediaType} needs the class) and the annotation data of the annotations that
 * Micronaut's method processors look their beans up by (the JDK parses each annotation's own annotations and
 * generates a proxy class for every kind); in the first event, decoding it and serializing what it publishes
 * ({@link EventWarmup}, which the context's warm-up thread reaches only after creating the controllers, after the first
 * event has arrived). The JDK and the libraries keep all of it, so the main thread and the first event find it ready
 * or wait for it.
 */
public final class FunctionMain {

    /** The annotations Micronaut's processors find their beans by (by {@code Class}, so through reflection). */
    static final List<String> PROCESSOR_ANNOTATIONS = List.of(
            "io.micronaut.http.annotation.Controller",
            "io.micronaut.http.annotation.Filter",
            "io.micronaut.http.annotation.ServerFilter",
            "io.micronaut.http.annotation.ClientFilter",
            "io.micronaut.websocket.annotation.ServerWebSocket",
            "io.micronaut.scheduling.annotation.Scheduled",
            "io.micronaut.context.annotation.Mapper",
            "io.micronaut.management.endpoint.annotation.Endpoint");

    /**
     * Decided here rather than by the JDK: on JDK 21+ Micronaut runs the blocking executor on virtual threads, on 17 on
     * a cached pool. The tests run on 17, the images on 25: a cached pool of platform threads everywhere keeps the
     * shipped jar the program the tests run (and was faster on 25: docs/benchmarks.md, "Decided at build time").
     */
    static final Map<String, Object> PINNED = Map.of("micronaut.executors.blocking.type", "cached");

    private FunctionMain() {
    }

    /** Starts an event function, whose configuration is application-{@code function}.yml (a Micronaut environment). */
    public static ApplicationContext startFunction(Class<?> application, String function, String[] args) {
        return start(application, function, args, new String[]{function});
    }

    /** Starts a deployable configured by its application.yml alone (task-api, event-gateway). */
    public static ApplicationContext start(Class<?> application, String deployable, String[] args) {
        return start(application, deployable, args, new String[0]);
    }

    private static ApplicationContext start(Class<?> application, String deployable, String[] args,
                                            String[] environments) {
        Thread preload = new Thread(() -> preload(deployable), "preload");
        preload.setDaemon(true);
        preload.start();
        return Micronaut.build(args).mainClass(application).environments(environments).properties(PINNED).start();
    }

    /**
     * @param deployable its event types are prepared last, as the first event needs them only after Micronaut started
     * @return how many of {@link #PROCESSOR_ANNOTATIONS} were prepared (the others are not on the classpath)
     */
    static int preload(String deployable) {
        int prepared = BigDecimal.ONE.signum() - 1; // 0; initializes the class
        ClassLoader loader = FunctionMain.class.getClassLoader();
        for (String name : PROCESSOR_ANNOTATIONS) {
            try {
                // what Micronaut asks first of such a type; the JDK then holds all of its annotations
                Class.forName(name, false, loader).getAnnotation(Repeatable.class);
                prepared++;
            } catch (ClassNotFoundException | LinkageError e) {
                // a deployable without that module
            }
        }
        try {
            EventWarmup.prepare(deployable);
        } catch (EventRejected | IOException | RuntimeException e) {
            LoggerFactory.getLogger(FunctionMain.class).info("preload of {}'s events skipped: {}", deployable, e.toString());
        }
        return prepared;
    }
}
