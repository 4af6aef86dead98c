package com.todo.taskdeleted;

import io.micronaut.runtime.Micronaut;

/** The task-deleted function as its own deployable: its configuration is application-task-deleted.yml. */
public class TaskDeletedApplication {

    public static void main(String[] args) {
        Micronaut.build(args).mainClass(TaskDeletedApplication.class).environments("task-deleted").start();
    }
}
