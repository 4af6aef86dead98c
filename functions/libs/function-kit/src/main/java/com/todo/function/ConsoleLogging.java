package com.todo.function;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * The functions' logging, set up in code: one console line per message at INFO; levels per logger come
 * from Micronaut's {@code logger.levels.*} configuration. Why not a logback.xml: reading one loads an XML
 * parser and logback's Joran (~400 classes) before Micronaut even starts, a cost every cold start paid.
 * A logback-test.xml or logback.xml on the classpath, or {@code -Dlogback.configurationFile}, still wins.
 */
public final class ConsoleLogging extends ContextAwareBase implements Configurator {

    /**
     * Messages carry user text (titles, event fields, reasons): a line break is written as a backslash and n or r,
     * any other control character as '?', so no input can forge a log line or send a terminal escape.
     */
    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{24} - "
            + "%replace(%replace(%replace(%msg){'[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f\\u0085\\u2028\\u2029]', '?'})"
            + "{'\\r', '\\\\r'}){'\\n', '\\\\n'}%n";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null
                || onClasspath("logback-test.xml") || onClasspath("logback.xml")) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("STDOUT");
        console.setEncoder(encoder);
        console.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(console);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    private static boolean onClasspath(String resource) {
        return ConsoleLogging.class.getClassLoader().getResource(resource) != null;
    }
}
