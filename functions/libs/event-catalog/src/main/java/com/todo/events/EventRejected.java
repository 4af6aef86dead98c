package com.todo.events;

/**
 * An incoming event that can never be handled (not a CloudEvent, a type this function does not handle, data that
 * breaks its schema): a poison event, answered DROP with this reason logged — retrying cannot help.
 */
public class EventRejected extends Exception {

    public EventRejected(String reason) {
        super(reason);
    }

    public EventRejected(String reason, Throwable cause) {
        super(reason, cause);
    }
}
