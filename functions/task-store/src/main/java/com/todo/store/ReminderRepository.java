package com.todo.store;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

import java.util.Collection;
import java.util.List;
import java.util.UUID;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface ReminderRepository extends CrudRepository<ReminderRow, UUID> {

    List<ReminderRow> findByTaskIdOrderByPosition(UUID taskId);

    List<ReminderRow> findByTaskIdInListOrderByPosition(Collection<UUID> taskIds);

    void deleteByTaskId(UUID taskId);
}
