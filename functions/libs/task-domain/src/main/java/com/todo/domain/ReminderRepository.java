package com.todo.domain;

import com.todo.events.ReminderWindow;
import com.todo.events.TaskStatus;
import io.micronaut.data.annotation.Query;
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

    /**
     * Reminders due and not notified, of tasks not closed (completed or skipped), that fire by {@link ReminderWindow} (the others were
     * history when their task was written and are left alone).
     */
    @Query("SELECT r.* FROM reminders r JOIN tasks t ON t.id = r.task_id "
            + "WHERE r.remind_at <= :now AND r.remind_at > t.updated_at - interval '" + ReminderWindow.LATE_SECONDS
            + " seconds' AND t.status NOT IN ('" + TaskStatus.COMPLETED + "', '" + TaskStatus.SKIPPED + "') "
            + "AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.reminder_id = r.id AND n.remind_at = r.remind_at) "
            + "ORDER BY r.remind_at LIMIT :limit")
    List<ReminderRow> findDueUnnotified(java.time.Instant now, int limit);
}
