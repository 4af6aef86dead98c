package com.todo.domain;

import java.util.function.LongPredicate;

/**
 * What a change requires of the task's current version (a client's {@code If-Match}); checked under the task's row
 * lock, so that two changes made from the same version cannot both pass.
 */
@FunctionalInterface
public interface VersionPrecondition extends LongPredicate {

    VersionPrecondition ANY = version -> true;
}
