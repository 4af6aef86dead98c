package com.todo.local;

import com.todo.function.NotificationChannel;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/** Local mode's output binding: the notification is logged instead of mailed or posted (D8). */
@Singleton
@Requires(property = "todo.notifications.binding", value = "log")
public class LoggingChannel implements NotificationChannel {

    private static final Logger LOG = LoggerFactory.getLogger("notifications");

    @Override
    public String name() {
        return "log";
    }

    @Override
    public void deliver(Map<String, Object> payload) {
        LOG.info("notification: {}", payload);
    }
}
