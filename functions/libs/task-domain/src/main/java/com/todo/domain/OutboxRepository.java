package com.todo.domain;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.List;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface OutboxRepository extends GenericRepository<OutboxRow, Long> {

    @Query("INSERT INTO outbox (event_id, aggregate_id, topic, type, payload) "
            + "VALUES (:eventId, :aggregateId, :topic, :type, :payload)")
    void append(String eventId, String aggregateId, String topic, String type, String payload);

    List<OutboxRow> findByAggregateIdOrderBySeq(String aggregateId);

    long count();
}
