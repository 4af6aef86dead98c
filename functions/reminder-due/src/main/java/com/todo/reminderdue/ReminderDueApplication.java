package com.todo.reminderdue;

import io.micronaut.runtime.Micronaut;

/** The reminder-due function as its own deployable: its configuration is application-reminder-due.yml. */
public class ReminderDueApplication {

    public static void main(String[] args) {
        Micronaut.build(args).mainClass(ReminderDueApplication.class).environments("reminder-due").start();
    }
}
