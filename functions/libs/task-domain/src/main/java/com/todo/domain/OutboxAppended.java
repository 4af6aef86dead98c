package com.todo.domain;

/** Published inside the writing transaction; the relay acts on it once that transaction has committed. */
public record OutboxAppended(String aggregateId) {
}
