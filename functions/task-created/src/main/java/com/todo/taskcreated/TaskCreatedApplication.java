package com.todo.taskcreated;

import com.todo.function.FunctionMain;

/** The task-created function as its own deployable: its configuration is application-task-created.yml. */
public class TaskCreatedApplication {

    public static void main(String[] args) {
        FunctionMain.startFunction(TaskCreatedApplication.class, "task-created", args);
    }
}
