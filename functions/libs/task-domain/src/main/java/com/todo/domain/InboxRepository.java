package com.todo.domain;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

/**
 * The consumer inbox (architecture D5): recording an event id in the same transaction as its effect makes a
 * duplicate delivery a no-op. A concurrent duplicate waits on the unique key and then finds it taken.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface InboxRepository extends GenericRepository<OutboxRow, Long> {

    /** @return 1 if this consumer sees the event for the first time, 0 for a duplicate */
    @Query("INSERT INTO inbox (consumer, event_id) VALUES (:consumer, :eventId) ON CONFLICT DO NOTHING")
    int claim(String consumer, String eventId);
}
