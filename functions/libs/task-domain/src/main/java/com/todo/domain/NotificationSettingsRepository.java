package com.todo.domain;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

import java.time.Instant;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface NotificationSettingsRepository extends CrudRepository<NotificationSettingsRow, String> {

    /** Makes sure the user has a row (none set: in-app only), so that it can be locked. */
    @Query("INSERT INTO notification_settings (user_id, updated_at) VALUES (:userId, :now) ON CONFLICT DO NOTHING")
    int insertDefault(String userId, Instant now);

    /** The row locked for a change, so concurrent changes of one user's settings serialise. */
    @Query("SELECT * FROM notification_settings WHERE user_id = :userId FOR UPDATE")
    Optional<NotificationSettingsRow> findForUpdate(String userId);
}
