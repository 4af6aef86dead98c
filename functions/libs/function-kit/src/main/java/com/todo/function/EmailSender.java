package com.todo.function;

/**
 * Sends one email to one address, given per message (a user's own, verified address), through a Dapr output binding
 * (bindings.smtp). Absent when no email binding is configured: then no user can add an email channel.
 */
public interface EmailSender {

    /**
     * @param html the body as HTML; every text from a user in it must already be escaped
     * @throws RuntimeException when the message was not accepted (the caller retries or refuses)
     */
    void send(String to, String subject, String html);
}
