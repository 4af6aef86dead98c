package com.todo.function;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.processor.BeanDefinitionProcessor;
import io.micronaut.context.processor.ExecutableMethodProcessor;
import io.micronaut.core.type.Argument;
import io.micronaut.inject.BeanDefinition;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FunctionMainTest {

    @Test
    void preloadPreparesTheAnnotationsEveryMethodProcessorOfTheContextLooksItsBeansUpBy() {
        Set<String> used = new TreeSet<>();
        try (ApplicationContext context = ApplicationContext.run()) {
            for (Class<?> processor : new Class<?>[]{ExecutableMethodProcessor.class, BeanDefinitionProcessor.class}) {
                for (BeanDefinition<?> definition : context.getBeanDefinitions(processor)) {
                    definition.getTypeArguments(processor).stream().map(Argument::getTypeName).forEach(used::add);
                }
            }
        }
        assertTrue(used.contains("io.micronaut.http.annotation.Controller"), used::toString);
        assertTrue(FunctionMain.PROCESSOR_ANNOTATIONS.containsAll(used),
                "a processor's annotation is missing from the preload list: " + used);
        assertEquals(used.size(), FunctionMain.preload("none"), "each one on the classpath is prepared: " + used);
    }

    @Test
    void preloadDecodesWhatTheDeployableHandlesAndEncodesWhatItBuilds() {
        // only the started function's types: what it handles, and the data of what it builds
        assertEquals(Set.of(com.todo.events.EventType.RECURRING_SCHEDULED), EventWarmup.handledBy("recurring-scheduled"));
        assertTrue(EventWarmup.builtBy("recurring-scheduled").contains(com.todo.events.EventType.TASK_CREATED));
        assertFalse(EventWarmup.builtBy("recurring-scheduled").contains(com.todo.events.EventType.NOTIFICATION_SENT));
        FunctionMain.preload("recurring-scheduled");
        assertTrue(EventWarmup.decoded(com.todo.events.EventType.RECURRING_SCHEDULED));
        assertTrue(EventWarmup.encoded(com.todo.events.TaskSnapshot.class), "it builds com.todo.task.created");
    }
}
