package com.todo.domain;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

/** The listing query: filters are optional, so the SQL is assembled (from fixed fragments only) per request. */
@Singleton
class TaskSearch {

    private final JdbcOperations jdbc;

    TaskSearch(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    /** Must run inside a transaction. */
    List<TaskRow> find(String userId, TaskQuery query) {
        Where where = where(userId, query);
        String sql = "SELECT * FROM tasks" + where.sql + " ORDER BY " + query.sort().orderBy() + " LIMIT ? OFFSET ?";
        return jdbc.prepareStatement(sql, ps -> {
            int next = where.bind(ps);
            ps.setInt(next, query.size());
            ps.setLong(next + 1, (long) query.page() * query.size());
            try (ResultSet rs = ps.executeQuery()) {
                return jdbc.entityStream(rs, TaskRow.class).toList();
            }
        });
    }

    long count(String userId, TaskQuery query) {
        Where where = where(userId, query);
        return jdbc.prepareStatement("SELECT count(*) FROM tasks" + where.sql, ps -> {
            where.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private static Where where(String userId, TaskQuery q) {
        Where w = new Where();
        w.add("user_id = ?", userId);
        if (q.status() != null) {
            w.add("status = ?", q.status());
        }
        if (q.priority() != null) {
            w.add("priority = ?", q.priority());
        }
        if (q.tag() != null) {
            w.add("? = ANY (tags)", q.tag());
        }
        if (q.dueAfter() != null) {
            w.add("due_at >= ?", Timestamp.from(q.dueAfter()));
        }
        if (q.dueBefore() != null) {
            w.add("due_at < ?", Timestamp.from(q.dueBefore()));
        }
        if (q.text() != null && !q.text().isBlank()) {
            String pattern = "%" + q.text().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
            w.add("(title ILIKE ? OR description ILIKE ?)", pattern, pattern);
        }
        return w;
    }

    private static final class Where {
        private final StringBuilder sqlBuilder = new StringBuilder();
        private final List<Object> values = new ArrayList<>();
        private String sql = "";

        void add(String condition, Object... params) {
            sqlBuilder.append(sqlBuilder.length() == 0 ? " WHERE " : " AND ").append(condition);
            values.addAll(List.of(params));
            sql = sqlBuilder.toString();
        }

        int bind(PreparedStatement ps) throws SQLException {
            for (int i = 0; i < values.size(); i++) {
                ps.setObject(i + 1, values.get(i));
            }
            return values.size() + 1;
        }
    }
}
