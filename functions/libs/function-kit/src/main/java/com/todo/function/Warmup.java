package com.todo.function;

/**
 * Work a function would otherwise do inside its first event: opening a connection, compiling a schema. Functions
 * scale from zero, so every scale-up pays it; {@link StartupWarmups} runs it on another thread while the server starts.
 */
public interface Warmup {

    /** Called once, possibly while requests are already served; a failure is logged and costs only the head start. */
    void warm() throws Exception;
}
