package com.todo.function;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.ConsoleAppender;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConsoleLoggingTest {

    @Test
    void withoutAConfigFileTheRootLogsInfoToTheConsoleInOneLinePerMessage() {
        LoggerContext context = new LoggerContext();
        ConsoleLogging logging = new ConsoleLogging();
        logging.setContext(context);

        assertEquals(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY, logging.configure(context));
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertEquals(Level.INFO, root.getLevel());
        ConsoleAppender<?> console = assertInstanceOf(ConsoleAppender.class, root.getAppender("STDOUT"));
        assertTrue(console.isStarted());
        assertEquals(ConsoleLogging.PATTERN, ((PatternLayoutEncoder) console.getEncoder()).getPattern());
    }

    @Test
    void anExplicitConfigFileIsLeftToLogback() {
        System.setProperty("logback.configurationFile", "elsewhere.xml");
        try {
            LoggerContext context = new LoggerContext();
            ConsoleLogging logging = new ConsoleLogging();
            logging.setContext(context);
            assertEquals(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY, logging.configure(context));
            assertNull(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDOUT"));
        } finally {
            System.clearProperty("logback.configurationFile");
        }
    }

    @Test
    void logbackFindsItAndUsesItForThisProcess() {
        assertTrue(ServiceLoader.load(Configurator.class).stream().anyMatch(p -> p.type() == ConsoleLogging.class),
                "not registered as a logback Configurator");
        Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME);
        assertEquals(Level.INFO, root.getLevel());
        assertInstanceOf(ConsoleAppender.class, root.getAppender("STDOUT"));
    }

    @Test
    void userTextCannotForgeALogLineOrATerminalEscape() {
        LoggerContext context = new LoggerContext();
        PatternLayout layout = new PatternLayout();
        layout.setContext(context);
        layout.setPattern(ConsoleLogging.PATTERN);
        layout.start();
        assertEquals(List.of(), context.getStatusManager().getCopyOfStatusList().stream()
                .filter(s -> s.getLevel() > Status.INFO).map(Status::getMessage).toList(), "the pattern parses");
        LoggingEvent event = new LoggingEvent("x", context.getLogger("events"), Level.INFO, "title={}", null,
                new Object[]{"Buy milk\n00:00:00.000 INFO  events - forged\r\u001b[31mred\u2028x"});
        String written = layout.doLayout(event);
        assertEquals(1, written.split("\n", -1).length - 1, "one line: " + written);
        assertTrue(written.endsWith(" INFO  events - title=Buy milk\\n00:00:00.000 INFO  events - forged\\r?[31mred?x\n"),
                written);
    }

    @Test
    void levelsComeFromMicronautConfiguration() {
        try (ApplicationContext ignored = ApplicationContext.run(Map.of("logger.levels.com.todo.probe", "DEBUG"))) {
            assertTrue(LoggerFactory.getLogger("com.todo.probe").isDebugEnabled());
            assertFalse(LoggerFactory.getLogger("com.todo.other").isDebugEnabled());
        }
    }
}
