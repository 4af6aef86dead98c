package com.todo.domain;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

import java.util.Optional;
import java.util.UUID;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface TaskRepository extends CrudRepository<TaskRow, UUID> {

    Optional<TaskRow> findByIdAndUserId(UUID id, String userId);

    /** Locks the row so concurrent changes to one task serialise (and versions stay strictly increasing). */
    @Query("SELECT * FROM tasks WHERE id = :id AND user_id = :userId FOR UPDATE")
    Optional<TaskRow> findForUpdate(UUID id, String userId);

    /** Reads a task for a decision that a concurrent change must not overtake (its change waits). */
    @Query("SELECT * FROM tasks WHERE id = :id FOR SHARE")
    Optional<TaskRow> findForShare(UUID id);
}
