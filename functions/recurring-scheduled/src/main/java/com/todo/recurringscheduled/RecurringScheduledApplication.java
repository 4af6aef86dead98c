package com.todo.recurringscheduled;

import com.todo.function.FunctionMain;

/** The recurring-scheduled function as its own deployable: its configuration is application-recurring-scheduled.yml. */
public class RecurringScheduledApplication {

    public static void main(String[] args) {
        FunctionMain.startFunction(RecurringScheduledApplication.class, "recurring-scheduled", args);
    }
}
