package com.todo.local;

import com.todo.function.AppApiTokenFilter;
import com.todo.function.JobScheduler;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.transaction.TransactionOperations;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Local mode's Dapr Jobs: jobs kept in PostgreSQL and a timer that calls {@code POST /job/{name}} on this process
 * at the due time (at least once). A job that came due while the process was down fires at start; a failed call is
 * retried every {@code todo.local.job-retry} (10 s, like the cluster's failure policy).
 */
@Singleton
@Requires(property = "todo.jobs.scheduler", value = "local")
public class LocalJobs implements JobScheduler {

    private static final Logger LOG = LoggerFactory.getLogger(LocalJobs.class);

    private final TransactionOperations<Connection> tx;
    private final String baseUrl;
    private final String appToken;
    private final Duration poll;
    private final Duration retry;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private volatile boolean running = true;
    private Thread timer;

    public LocalJobs(TransactionOperations<Connection> tx, @Value("${todo.local.base-url}") String baseUrl,
                     @Value("${todo.app-api-token:}") String appToken,
                     @Value("${todo.local.job-poll:200ms}") Duration poll,
                     @Value("${todo.local.job-retry:10s}") Duration retry) {
        this.tx = tx;
        this.baseUrl = baseUrl;
        this.appToken = appToken;
        this.poll = poll;
        this.retry = retry;
    }

    @Override
    public void scheduleOnce(String name, Instant dueTime, byte[] data) {
        upsert(name, dueTime, null, data);
    }

    @Override
    public void scheduleEvery(String name, String schedule, byte[] data) {
        upsert(name, Instant.now().plus(every(schedule)), schedule, data);
    }

    @Override
    public void delete(String name) {
        tx.executeWrite(status -> {
            try (PreparedStatement ps = status.getConnection().prepareStatement("DELETE FROM local_jobs WHERE name = ?")) {
                ps.setString(1, name);
                return ps.executeUpdate();
            }
        });
    }

    private void upsert(String name, Instant due, String schedule, byte[] data) {
        tx.executeWrite(status -> {
            try (PreparedStatement ps = status.getConnection().prepareStatement(
                    "INSERT INTO local_jobs (name, due_at, schedule, data) VALUES (?, ?, ?, ?) "
                            + "ON CONFLICT (name) DO UPDATE SET due_at = EXCLUDED.due_at, schedule = EXCLUDED.schedule, "
                            + "data = EXCLUDED.data")) {
                ps.setString(1, name);
                ps.setTimestamp(2, Timestamp.from(due));
                ps.setString(3, schedule);
                ps.setBytes(4, data);
                return ps.executeUpdate();
            }
        });
    }

    /** Dapr's {@code @every <n>s|m|h}, the only recurring form the gateway uses. */
    static Duration every(String schedule) {
        if (!schedule.startsWith("@every ")) {
            throw new IllegalArgumentException("local jobs support '@every <duration>', not '" + schedule + "'");
        }
        String d = schedule.substring(7).strip();
        long n = Long.parseLong(d.substring(0, d.length() - 1));
        return switch (d.charAt(d.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            default -> throw new IllegalArgumentException("unknown unit in " + schedule);
        };
    }

    /** Once the server listens: a job or a delivery fired before would find nobody to call (and wait out a retry). */
    @EventListener
    void onStartup(ServerStartupEvent event) {
        timer = new Thread(this::loop, "local-jobs");
        timer.setDaemon(true);
        timer.start();
    }

    private record Due(String name, String schedule, byte[] data) {
    }

    private void loop() {
        while (running) {
            try {
                if (fireDue() == 0) {
                    Thread.sleep(poll.toMillis());
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("job timer: {}", e.toString());
                sleepQuietly();
            }
        }
    }

    /** Fires what is due, each job in its own transaction (the row stays locked while it runs). */
    int fireDue() {
        List<String> due = tx.executeRead(status -> {
            List<String> names = new ArrayList<>();
            try (PreparedStatement ps = status.getConnection().prepareStatement(
                    "SELECT name FROM local_jobs WHERE due_at <= now() ORDER BY due_at LIMIT 50");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            return names;
        });
        for (String name : due) {
            tx.executeWrite(status -> fire(status.getConnection(), name));
        }
        return due.size();
    }

    private Void fire(Connection c, String name) throws Exception {
        Due job;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT name, schedule, data FROM local_jobs WHERE name = ? AND due_at <= now() FOR UPDATE SKIP LOCKED")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                job = new Due(rs.getString(1), rs.getString(2), rs.getBytes(3));
            }
        }
        int status = call(job);
        boolean done = status / 100 == 2 || status == 404;
        String sql = done && job.schedule() == null ? "DELETE FROM local_jobs WHERE name = ?"
                : "UPDATE local_jobs SET due_at = ? WHERE name = ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (sql.startsWith("UPDATE")) {
                ps.setTimestamp(1, Timestamp.from(Instant.now().plus(done ? every(job.schedule()) : retry)));
                ps.setString(2, job.name());
            } else {
                ps.setString(1, job.name());
            }
            ps.executeUpdate();
        }
        if (!done) {
            LOG.warn("job {} answered {}; retrying in {}", job.name(), status, retry);
        }
        return null;
    }

    private int call(Due job) throws InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/job/"
                        + URLEncoder.encode(job.name(), StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(job.data()));
        if (!appToken.isEmpty()) {
            request.header(AppApiTokenFilter.HEADER, appToken);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    private void sleepQuietly() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @PreDestroy
    void stop() throws InterruptedException {
        running = false;
        if (timer != null) {
            timer.interrupt();
            timer.join(5000);
        }
    }
}
