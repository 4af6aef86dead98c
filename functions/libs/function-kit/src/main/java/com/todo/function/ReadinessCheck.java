package com.todo.function;

/**
 * Something a deployable needs before it takes requests (architecture D4): its sidecar, its database. Every bean of
 * this type is asked by {@code GET /health/readiness}.
 */
public interface ReadinessCheck {

    /** @return the name the health answer shows while this check fails */
    String name();

    /** @return whether it is ready now; may block briefly (asked on a blocking thread) */
    boolean ready();
}
