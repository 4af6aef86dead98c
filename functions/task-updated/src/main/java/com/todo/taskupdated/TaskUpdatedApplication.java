package com.todo.taskupdated;

import com.todo.function.FunctionMain;

/** The task-updated function as its own deployable: its configuration is application-task-updated.yml. */
public class TaskUpdatedApplication {

    public static void main(String[] args) {
        FunctionMain.startFunction(TaskUpdatedApplication.class, "task-updated", args);
    }
}
