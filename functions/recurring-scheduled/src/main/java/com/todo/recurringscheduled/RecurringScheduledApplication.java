package com.todo.recurringscheduled;

import io.micronaut.runtime.Micronaut;

/** The recurring-scheduled function as its own deployable: its configuration is application-recurring-scheduled.yml. */
public class RecurringScheduledApplication {

    public static void main(String[] args) {
        Micronaut.build(args).mainClass(RecurringScheduledApplication.class).environments("recurring-scheduled").start();
    }
}
