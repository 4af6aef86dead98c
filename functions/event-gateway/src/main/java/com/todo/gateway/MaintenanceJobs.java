package com.todo.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.todo.events.EventCatalog;
import com.todo.events.EventType;
import com.todo.function.AppApiTokenFilter;
import com.todo.function.JobScheduler;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The gateway's recurring maintenance jobs (architecture D2, D6): every minute, {@code POST /outbox/flush} on each
 * database function and {@code POST /reminders/sweep} on reminder-due; every hour {@code POST /maintenance/retention}
 * on task-api (docs/operations.md); as plain HTTP calls to their URLs (which wake them). Registered at every start with {@code overwrite}, so registering again changes nothing; if the
 * sidecar is not ready yet, registration is retried in the background.
 */
@Singleton
public class MaintenanceJobs {

    private static final Logger LOG = LoggerFactory.getLogger(MaintenanceJobs.class);
    static final String OUTBOX_FLUSH = "maintenance.outbox-flush.";
    static final String REMINDER_SWEEP = "maintenance.reminder-sweep";
    static final String RETENTION = "maintenance.retention";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JobScheduler jobs;
    private final GatewayMetrics metrics;
    private final FunctionDirectory functions;
    private final String schedule;
    private final String retentionSchedule;
    private final Duration registerRetry;
    private final Duration timeout;
    private final String appToken;
    private final boolean registerAtStartup;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private volatile boolean stopped;

    public MaintenanceJobs(JobScheduler jobs, FunctionDirectory functions, GatewayMetrics metrics,
                           @Value("${todo.gateway.maintenance-schedule:@every 1m}") String schedule,
                           @Value("${todo.gateway.retention-schedule:@every 1h}") String retentionSchedule,
                           @Value("${todo.gateway.maintenance-register-retry:5s}") Duration registerRetry,
                           @Value("${todo.gateway.forward-timeout:30s}") Duration timeout,
                           @Value("${todo.app-api-token:}") String appToken,
                           @Value("${todo.gateway.register-maintenance:true}") boolean registerAtStartup) {
        this.registerAtStartup = registerAtStartup;
        this.jobs = jobs;
        this.metrics = metrics;
        this.functions = functions;
        this.schedule = schedule;
        this.retentionSchedule = retentionSchedule;
        this.registerRetry = registerRetry;
        this.timeout = timeout;
        this.appToken = appToken;
    }

    /** Job name → the URL it calls. */
    public Map<String, URI> targets() {
        Map<String, URI> targets = new LinkedHashMap<>();
        for (String function : functions.databaseFunctions()) {
            targets.put(OUTBOX_FLUSH + function, URI.create(functions.baseUrl(function) + "/outbox/flush"));
        }
        targets.put(REMINDER_SWEEP, URI.create(functions.baseUrl(EventType.REMINDER_DUE.handler().orElseThrow()) + "/reminders/sweep"));
        targets.put(RETENTION, URI.create(functions.baseUrl(EventCatalog.DEAD_LETTER_INBOX) + "/maintenance/retention"));
        return targets;
    }

    public boolean isMaintenance(String name) {
        return name.startsWith("maintenance.");
    }

    @EventListener
    void onStartup(StartupEvent event) {
        if (!registerAtStartup) {
            return;
        }
        Thread register = new Thread(this::registerUntilDone, "maintenance-jobs");
        register.setDaemon(true);
        register.start();
    }

    private void registerUntilDone() {
        while (!stopped) {
            try {
                register();
                return;
            } catch (JobScheduler.UnavailableException e) {
                LOG.warn("registering maintenance jobs failed, retrying in {}: {}", registerRetry, e.getMessage());
            } catch (JobScheduler.RejectedException e) {
                LOG.error("maintenance jobs not registered: the scheduler refused todo.gateway.maintenance-schedule "
                        + "'{}' or retention-schedule '{}' ({}); fix it and restart", schedule, retentionSchedule,
                        e.getMessage());
                return;
            }
            try {
                Thread.sleep(registerRetry.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Idempotent: each job is scheduled with overwrite. */
    public void register() {
        for (String name : targets().keySet()) {
            jobs.scheduleEvery(name, name.equals(RETENTION) ? retentionSchedule : schedule, new byte[0]);
        }
        LOG.info("maintenance jobs registered ({}, retention {}): {}", schedule, retentionSchedule, targets().keySet());
    }

    /** Runs a fired maintenance job; false makes Dapr retry it. */
    public boolean run(String name) {
        URI target = targets().get(name);
        if (target == null) {
            LOG.warn("unknown maintenance job {}: ignored", name);
            return true;
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(timeout)
                .POST(HttpRequest.BodyPublishers.noBody());
        if (!appToken.isEmpty()) {
            request.header(AppApiTokenFilter.HEADER, appToken);
        }
        try {
            HttpResponse<byte[]> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            int status = answer.statusCode();
            if (status / 100 == 2) {
                if (name.startsWith(OUTBOX_FLUSH)) {
                    backlog(answer.body());
                }
                return true;
            }
            LOG.warn("maintenance job {}: {} answered {}", name, target, status);
        } catch (IOException e) {
            LOG.warn("maintenance job {}: {} unreachable: {}", name, target, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    /** A flush's answer says what it left pending (OutboxRelay.FlushResult): the backlog gauges show it. */
    private void backlog(byte[] flushed) {
        try {
            JsonNode left = JSON.readTree(flushed);
            if (left != null && left.path("pending").isNumber()) {
                metrics.outboxBacklog(left.get("pending").asLong(), left.path("oldestPendingSeconds").asLong());
            }
        } catch (IOException e) {
            LOG.debug("an outbox flush answered no result: {}", e.getMessage());
        }
    }

    @PreDestroy
    void stop() {
        stopped = true;
    }
}
