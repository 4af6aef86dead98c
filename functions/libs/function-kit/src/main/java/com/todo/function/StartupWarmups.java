package com.todo.function;

import io.micronaut.context.BeanContext;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.annotation.Controller;
import io.micronaut.inject.BeanDefinition;
import io.micronaut.inject.qualifiers.Qualifiers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Prepares the first event while the HTTP server starts, on a second thread:
 * creates every controller with what it depends on (clients, pools) and runs each {@link Warmup}. A request that
 * arrives meanwhile waits only for the part it needs. Off with {@code todo.warmup.enabled=false}.
 */
@Context
@Requires(property = "todo.warmup.enabled", notEquals = "false")
public class StartupWarmups {

    private static final Logger LOG = LoggerFactory.getLogger(StartupWarmups.class);
    private static final String CONTROLLER = Controller.class.getName();

    private final BeanContext context;
    private final List<String> done = new ArrayList<>();
    private final CountDownLatch finished = new CountDownLatch(1);

    public StartupWarmups(BeanContext context) {
        this.context = context;
        // a daemon thread of its own: the context's startup goes on, and nothing waits on this bean
        Thread thread = new Thread(this::warmAll, "warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    private void warmAll() {
        long start = System.nanoTime();
        try {
            // by name: the Class form looks the annotation up by reflection, racing Micronaut's router for the same lookup
            for (BeanDefinition<?> controller : context.getBeanDefinitions(Qualifiers.byStereotype(CONTROLLER))) {
                run(controller.getBeanType().getSimpleName(), () -> context.getBean(controller));
            }
            for (BeanDefinition<Warmup> warmup : context.getBeanDefinitions(Warmup.class)) {
                run(warmup.getBeanType().getSimpleName(), () -> context.getBean(warmup).warm());
            }
            LOG.debug("warm-up done in {} ms: {}", (System.nanoTime() - start) / 1_000_000, done);
        } catch (RuntimeException e) {
            LOG.info("warm-up stopped: {}", e.toString()); // e.g. the context closed meanwhile
        } finally {
            finished.countDown();
        }
    }

    /** @return whether every step has run (or failed) within {@code timeout} */
    public boolean awaitFinished(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** What was prepared, in order (for tests and the debug log). */
    public synchronized List<String> done() {
        return List.copyOf(done);
    }

    private void run(String name, Step step) {
        try {
            step.run();
            synchronized (this) {
                done.add(name);
            }
        } catch (Exception | LinkageError e) {
            LOG.info("warm-up of {} skipped: {}", name, e.toString());
        }
    }

    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
    }
}
