package com.todo.reminderdue;

import com.todo.function.FunctionMain;

/** The reminder-due function as its own deployable: its configuration is application-reminder-due.yml. */
public class ReminderDueApplication {

    public static void main(String[] args) {
        FunctionMain.startFunction(ReminderDueApplication.class, "reminder-due", args);
    }
}
