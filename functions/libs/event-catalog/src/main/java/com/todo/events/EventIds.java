package com.todo.events;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.NameBasedGenerator;

import java.time.Instant;
import java.util.UUID;

/**
 * Name-based (version 5) ids of derived things (architecture D1): the same inputs always give the same id, so a
 * replayed or duplicated derivation collapses into one.
 */
public final class EventIds {

    /** The namespace of every name-based id of todo-functions. */
    public static final UUID NAMESPACE = UUID.fromString("6f0c5d1e-8a43-4c1b-9d7e-2b5f3a9c8e41");

    private static final NameBasedGenerator V5 = Generators.nameBasedGenerator(NAMESPACE);

    private EventIds() {
    }

    /** The com.todo.reminder.due id: a moved reminder fires again, a replayed one does not (D6). */
    public static UUID reminderDue(UUID reminderId, Instant remindAt) {
        return V5.generate("reminder-due/" + reminderId + "/" + remindAt);
    }

    /** The next occurrence's task id, also the com.todo.recurring.scheduled id: one task per occurrence (D6). */
    public static UUID occurrence(UUID seriesId, Instant occurrenceAt) {
        return V5.generate("occurrence/" + seriesId + "/" + occurrenceAt);
    }

    /** One notification per reminder firing (reminder id + remind time), whether the job or the sweep finds it. */
    public static UUID notification(UUID reminderId, Instant remindAt) {
        return V5.generate("notification/" + reminderId + "/" + remindAt);
    }

    /** The com.todo.notification.sent id of a notification. */
    public static UUID notificationSent(UUID notificationId) {
        return V5.generate("notification-sent/" + notificationId);
    }
}
