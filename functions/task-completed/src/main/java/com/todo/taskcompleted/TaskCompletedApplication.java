package com.todo.taskcompleted;

import com.todo.function.FunctionMain;

/** The task-completed function as its own deployable: its configuration is application-task-completed.yml. */
public class TaskCompletedApplication {

    public static void main(String[] args) {
        FunctionMain.startFunction(TaskCompletedApplication.class, "task-completed", args);
    }
}
