package com.todo.dapr;

import com.todo.fake.FakeDaprSidecar;
import com.sun.net.httpserver.HttpServer;
import com.todo.embedded.EmbeddedDatabase;
import com.todo.events.EventCatalog;
import com.todo.events.EventPublisher;
import com.todo.function.JobScheduler;
import com.todo.function.NotificationChannel;
import com.todo.function.StateStore;
import com.todo.platform.ChildProcess;
import com.todo.platform.DaprScheduler;
import com.todo.platform.Daprd;
import com.todo.platform.Platform;
import com.todo.platform.RealPlatform;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Dapr adapters against the real daprd and scheduler (platform/versions.env), with the assertions their
 * FakeDaprSidecar tests make where the fake can make them, and what only the real sidecar shows: a job delivered to
 * the app, a publish delivered through a Subscription, a binding's request, an invalid schedule refused.
 */
class RealDaprdAdaptersTest {

    private static final String APP_TOKEN = "real-daprd-app-token";
    /** daprd requires it on its own API (DAPR_API_TOKEN): every adapter call below shows that it is sent. */
    private static final String DAPR_TOKEN = "real-daprd-api-token";
    record Call(String method, String path, String token, String body) {
    }

    private static final BlockingQueue<Call> calls = new LinkedBlockingQueue<>();
    @TempDir
    static Path dir;
    private static Platform platform;
    private static HttpServer app;
    private static DaprScheduler scheduler;
    private static Daprd daprd;
    private static ApplicationContext context;

    @BeforeAll
    static void start() throws Exception {
        platform = RealPlatform.required();
        app = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        app.createContext("/", exchange -> {
            calls.add(new Call(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("dapr-api-token"),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        app.start();
        String jdbc = EmbeddedDatabase.shared().newDatabase();
        Path resources = Files.createDirectories(dir.resolve("resources"));
        Files.writeString(resources.resolve("components.yaml"), String.join("\n",
                component("taskstate", "state.postgresql", "v2", Map.of("connectionString",
                        "host=127.0.0.1 port=" + EmbeddedDatabase.shared().port() + " user=postgres dbname="
                                + jdbc.substring(jdbc.lastIndexOf('/') + 1) + " sslmode=disable",
                        "tablePrefix", "dapr_", "keyPrefix", "none")),
                "---",
                component(EventCatalog.PUBSUB_NAME, "pubsub.in-memory", "v1", Map.of()),
                "---",
                component("webhook", "bindings.http", "v1",
                        Map.of("url", "http://127.0.0.1:" + app.getAddress().getPort() + "/webhook")),
                "---",
                "apiVersion: dapr.io/v2alpha1",
                "kind: Subscription",
                "metadata: {name: deliveries}",
                "spec:",
                "  pubsubname: " + EventCatalog.PUBSUB_NAME,
                "  topic: task-events",
                "  routes: {default: /events}", ""));
        scheduler = DaprScheduler.start(platform, dir.resolve("scheduler"), dir.resolve("logs/scheduler.log"));
        daprd = Daprd.start(platform, Daprd.Options.of("dapr-kit-test", app.getAddress().getPort(), List.of(resources))
                .scheduler(scheduler.address()).appApiToken(APP_TOKEN).daprApiToken(DAPR_TOKEN),
                dir.resolve("logs/daprd.log"));
        daprd.awaitHealthy(Duration.ofSeconds(30));
        context = ApplicationContext.run(Map.of("todo.dapr.grpc-port", daprd.grpcPort(),
                "todo.dapr.http-port", daprd.httpPort(), "dapr.api.token", DAPR_TOKEN,
                "todo.notifications.binding", "webhook", "todo.notifications.operation", "post"));
    }

    private static String component(String name, String type, String version, Map<String, String> metadata) {
        StringBuilder yaml = new StringBuilder("apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata: {name: "
                + name + "}\nspec:\n  type: " + type + "\n  version: " + version + "\n  metadata:");
        if (metadata.isEmpty()) {
            yaml.append(" []");
        }
        metadata.forEach((k, v) -> yaml.append("\n    - {name: ").append(k).append(", value: \"").append(v).append("\"}"));
        return yaml.toString();
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {context, daprd, scheduler}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                System.err.println(e);
            }
        }
        if (app != null) {
            app.stop(0);
        }
    }

    /** The next call to the app on {@code path}, skipping others. */
    private static Call next(String path, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            Call call = calls.poll(100, TimeUnit.MILLISECONDS);
            if (call != null && call.path().equals(path)) {
                return call;
            }
        }
        throw new AssertionError("no call to " + path + " within " + within);
    }

    @Test
    void daprdRefusesACallWithoutItsApiTokenOrWithAnother() {
        for (String token : new String[] {"", "not-" + DAPR_TOKEN}) {
            try (ApplicationContext other = ApplicationContext.run(Map.of("todo.dapr.http-port", daprd.httpPort(),
                    "dapr.api.token", token))) {
                StateStore.UnavailableException refused = assertThrows(StateStore.UnavailableException.class,
                        () -> other.getBean(StateStore.class).get("real-task-token"));
                assertTrue(refused.getMessage().contains("401"), refused.getMessage());
            }
        }
    }

    @Test
    void stateWithFirstWriteAndEtagsAsTheFakeHasIt() {
        StateStore store = context.getBean(StateStore.class);
        DaprStateStoreTest.firstWriteInsertsOnceAndEtagsGuardUpdates(store, "real-task-1");
        DaprStateStoreTest.aJsonValueIsKeptAsJsonNotAsOurBytes(store, "real-task-2");
        DaprStateStoreTest.aPutWritesWhateverTheKeyHolds(store, "real-task-3");
    }

    @Test
    void aJobIsDeliveredToTheAppOnTimeWithItsDataAndTheAppToken() throws Exception {
        JobScheduler jobs = context.getBean(JobScheduler.class);
        Instant due = Instant.now().plusSeconds(2);
        jobs.scheduleOnce("reminder-real-1", due, "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
        Call fired = next("/job/reminder-real-1", Duration.ofSeconds(15));
        assertTrue(Instant.now().isAfter(due.minusMillis(100)), "not before its due time");
        assertEquals("POST", fired.method());
        assertEquals("{\"a\":1}", fired.body());
        assertEquals(APP_TOKEN, fired.token());
    }

    @Test
    void aDeletedJobDoesNotFireAndDeletingAnAbsentJobIsFine() throws Exception {
        JobScheduler jobs = context.getBean(JobScheduler.class);
        jobs.scheduleOnce("reminder-real-2", Instant.now().plusSeconds(2), "{}".getBytes(StandardCharsets.UTF_8));
        jobs.delete("reminder-real-2");
        jobs.delete("never-existed");
        Thread.sleep(4000);
        assertTrue(calls.stream().noneMatch(c -> c.path().equals("/job/reminder-real-2")), calls.toString());
    }

    @Test
    void aScheduleTheSchedulerCannotParseIsRefusedNotRetried() {
        JobScheduler jobs = context.getBean(JobScheduler.class);
        JobScheduler.RejectedException refused = assertThrows(JobScheduler.RejectedException.class,
                () -> jobs.scheduleEvery("maintenance.bad", "*/5 * * * *", new byte[0]));
        assertTrue(refused.getMessage().contains("INTERNAL"), refused.getMessage());
        assertThrows(JobScheduler.RejectedException.class, () -> jobs.scheduleOnce("reminder-far",
                Instant.parse("+10000-01-01T00:00:00Z"), "{}".getBytes(StandardCharsets.UTF_8)),
                "a due time past year 9999 is not RFC 3339 for the scheduler");
    }

    @Test
    void aPublishedEventReachesTheSubscriberWithOurIdTypeAndSource() throws Exception {
        EventPublisher publisher = context.getBean(EventPublisher.class);
        EventPublisher.OutgoingEvent event = DaprEventPublisherTest.event("real-e-1");
        publisher.publish(event);
        Call delivered = next("/events", Duration.ofSeconds(15));
        assertTrue(delivered.body().contains("\"id\":\"real-e-1\""), delivered.body());
        assertTrue(delivered.body().contains("\"type\":\"com.todo.task.deleted\""), delivered.body());
        assertTrue(delivered.body().contains("\"source\":\"/task-api\""), delivered.body());
        assertEquals(APP_TOKEN, delivered.token());
    }

    @Test
    void aNotificationGoesThroughTheBindingAsAPost() throws Exception {
        NotificationChannel channel = context.getBean(NotificationChannel.class);
        assertEquals("webhook", channel.name());
        channel.deliver(Map.of("title", "Stretch"));
        Call request = next("/webhook", Duration.ofSeconds(10));
        assertEquals("POST", request.method());
        assertTrue(request.body().contains("\"title\":\"Stretch\""), request.body());
        assertNull(request.token(), "the app token is for the app's own sidecar calls, not for a webhook");
    }

    @Test
    void readyWhileTheRealSidecarRunsAndNotOnceItStops() throws Exception {
        Daprd own = Daprd.start(platform, Daprd.Options.of("readiness-test", ChildProcess.freePort(),
                List.of(Files.createDirectories(dir.resolve("none")))), dir.resolve("logs/daprd-readiness.log"));
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, Map.of("micronaut.server.port", -1,
                "dapr.http.port", own.httpPort()))) {
            assertEquals(200, readiness(server));
            own.close();
            assertEquals(503, readiness(server));
        } finally {
            own.close();
        }
    }

    private static int readiness(EmbeddedServer server) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + server.getPort() + "/health/readiness")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
