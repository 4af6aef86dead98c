package com.todo.events;

/**
 * Fault injection for the crash-and-restart tests of local mode: when the system property {@code todo.crash-at}
 * names a point the process reaches, it halts at once, as SIGKILL would (no shutdown hooks, no flush). Inert
 * otherwise: one property read.
 */
public final class CrashPoints {

    public static final String PROPERTY = "todo.crash-at";

    private CrashPoints() {
    }

    public static void reached(String point) {
        if (point.equals(System.getProperty(PROPERTY))) {
            System.err.println("crash point reached: " + point);
            Runtime.getRuntime().halt(137);
        }
    }
}
