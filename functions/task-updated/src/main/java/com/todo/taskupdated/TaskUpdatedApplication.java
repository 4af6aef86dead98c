package com.todo.taskupdated;

import io.micronaut.runtime.Micronaut;

/** The task-updated function as its own deployable: its configuration is application-task-updated.yml. */
public class TaskUpdatedApplication {

    public static void main(String[] args) {
        Micronaut.build(args).mainClass(TaskUpdatedApplication.class).environments("task-updated").start();
    }
}
