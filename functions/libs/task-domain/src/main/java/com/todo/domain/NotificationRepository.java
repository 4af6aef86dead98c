package com.todo.domain;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface NotificationRepository extends GenericRepository<NotificationRow, UUID> {

    /** @return 1 when recorded, 0 when this reminder firing already has its notification */
    @Query("INSERT INTO notifications (id, user_id, task_id, reminder_id, title, remind_at, created_at) "
            + "VALUES (:id, :userId, :taskId, :reminderId, :title, :remindAt, :createdAt) ON CONFLICT DO NOTHING")
    int insertOnce(UUID id, String userId, UUID taskId, UUID reminderId, String title, Instant remindAt, Instant createdAt);

    /** Newest first; at most {@code limit}. */
    @Query("SELECT * FROM notifications WHERE user_id = :userId AND (:unreadOnly = false OR read_at IS NULL) "
            + "ORDER BY created_at DESC, id DESC LIMIT :limit")
    List<NotificationRow> list(String userId, boolean unreadOnly, int limit);

    @Query("UPDATE notifications SET read_at = coalesce(read_at, :now) WHERE id = :id AND user_id = :userId")
    int markRead(UUID id, String userId, Instant now);

    /** @return how many of these, among the user's unread ones, this marked */
    @Query("UPDATE notifications SET read_at = :now WHERE user_id = :userId AND read_at IS NULL AND id IN (:ids)")
    int markReadAmong(String userId, List<UUID> ids, Instant now);

    /** @return how many of the user's unread ones this marked */
    @Query("UPDATE notifications SET read_at = :now WHERE user_id = :userId AND read_at IS NULL")
    int markAllRead(String userId, Instant now);

    Optional<NotificationRow> findById(UUID id);

    long count();
}
