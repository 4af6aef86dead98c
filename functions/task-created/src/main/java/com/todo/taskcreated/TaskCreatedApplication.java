package com.todo.taskcreated;

import io.micronaut.runtime.Micronaut;

/** The task-created function as its own deployable: its configuration is application-task-created.yml. */
public class TaskCreatedApplication {

    public static void main(String[] args) {
        Micronaut.build(args).mainClass(TaskCreatedApplication.class).environments("task-created").start();
    }
}
