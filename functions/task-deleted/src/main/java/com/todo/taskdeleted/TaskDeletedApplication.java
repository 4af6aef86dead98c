package com.todo.taskdeleted;

import com.todo.function.FunctionMain;

/** The task-deleted function as its own deployable: its configuration is application-task-deleted.yml. */
public class TaskDeletedApplication {

    public static void main(String[] args) {
        FunctionMain.startFunction(TaskDeletedApplication.class, "task-deleted", args);
    }
}
