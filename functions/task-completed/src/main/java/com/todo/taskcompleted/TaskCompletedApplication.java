package com.todo.taskcompleted;

import io.micronaut.runtime.Micronaut;

/** The task-completed function as its own deployable: its configuration is application-task-completed.yml. */
public class TaskCompletedApplication {

    public static void main(String[] args) {
        Micronaut.build(args).mainClass(TaskCompletedApplication.class).environments("task-completed").start();
    }
}
