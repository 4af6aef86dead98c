package com.todo.wiring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import com.todo.fake.FakeDaprSidecar;
import com.todo.embedded.EmbeddedDatabase;
import com.todo.events.EventIds;
import com.todo.events.EventJson;
import com.todo.events.EventType;
import com.todo.events.RecurringScheduled;
import com.todo.platform.RealPlatform;
import com.todo.events.ReminderDue;
import com.todo.events.StructuredEvents;
import com.todo.events.TaskSnapshot;
import com.todo.domain.Migrate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every runtime switch, shown on the runnable jars {@code package} has just built, started as production starts them
 * ({@link ShippedJar}). Micronaut AOT freezes in the jar whatever it decides at build time, so each switch an operator
 * sets through the environment is proven here to take effect in the jar itself (docs/architecture.md, "Decided at
 * build time, read at start" lists them):
 * <ul>
 *   <li>{@code DAPR_HTTP_PORT} (all): publishes, state and the warm-up's metadata call reach that sidecar; readiness
 *       503 naming {@code dapr-sidecar} until the sidecar reports ready, and no
 *       such check without it;</li>
 *   <li>{@code JDBC_URL}, {@code JDBC_USER}, {@code JDBC_PASSWORD} (task-api, reminder-due, recurring-scheduled):
 *       readiness 503 naming {@code database} while it refuses connections, answered within a probe's timeout; the
 *       writes land in that database;</li>
 *   <li>{@code APP_API_TOKEN} (all): internal routes 401 without it, served with it, open when unset;</li>
 *   <li>{@code DAPR_API_TOKEN} (all): the sidecar calls carry that token; {@code DAPR_GRPC_PORT} (event-gateway's
 *       jobs, reminder-due's bindings): those reach that sidecar;</li>
 *   <li>{@code TODO_WARMUP_ENABLED} (all): the start-up warm-up runs unless it is {@code false};</li>
 *   <li>the JDK itself (all): blocking work runs on the cached platform-thread pool the tests on JDK 17 use, not on
 *       JDK 25's virtual threads;</li>
 *   <li>{@code TODO_JWT_SECRET} (task-api): refuses to start without it; accepts tokens signed with it only;</li>
 *   <li>{@code TODO_SCHEDULES_URL} (task-* functions): reminders are scheduled there;</li>
 *   <li>{@code TODO_NOTIFICATIONS_BINDING}, {@code TODO_NOTIFICATIONS_OPERATION}, {@code TODO_EMAIL_BINDING}
 *       (reminder-due): the operator's binding, and the email binding with the user's verified address, are called
 *       when set, not when unset;</li>
 *   <li>{@code POD_NAMESPACE}, {@code TODO_GATEWAY_FORWARD_TIMEOUT}, {@code TODO_GATEWAY_FUNCTIONS_<NAME>_URL}
 *       (event-gateway): where and how long it forwards.</li>
 * </ul>
 * The sidecar here is the fake one for the jar's side of the contract (its HTTP and gRPC APIs); the real
 * daprd runs the same jars in the real-platform tests.
 */
class ShippedJarsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String APP_TOKEN = "shipped-app-token";
    private static final String JWT_SECRET = "shipped-jar-secret-shipped-jar-secret-0";
    private static final Set<String> DATABASE_DEPLOYABLES = Set.of("task-api", "reminder-due", "recurring-scheduled");
    /** A probe's default timeout (Kubernetes' timeoutSeconds: 1). */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

    private static FakeDaprSidecar sidecar;
    private static EmbeddedDatabase database;
    private static String jdbcUrl;
    private static HttpServer stub;
    private static final List<String> stubRequests = new CopyOnWriteArrayList<>();
    private static final AtomicInteger stubDelayMillis = new AtomicInteger();

    @BeforeAll
    static void platform() throws Exception {
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        if (ShippedJar.java25().isEmpty()) {
            String why = "NO JDK 25: the shipped jars are not started (set JAVA25_HOME); the images run on JDK 25";
            System.err.println("\n*** ShippedJarsTest SKIPPED: " + why + " ***\n");
            if (ci) {
                fail(why);
            }
            org.junit.jupiter.api.Assumptions.abort(why);
        }
        for (String deployable : Repo.deployables()) {
            assertTrue(Files.exists(ShippedJar.jar(deployable)), "not packaged: " + ShippedJar.jar(deployable)
                    + " (run mvn verify, which packages before this test)");
        }
        sidecar = new FakeDaprSidecar().start();
        database = EmbeddedDatabase.shared();
        jdbcUrl = database.newDatabase();
        Migrate.run(jdbcUrl, EmbeddedDatabase.USER, "");
        stub = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        stub.createContext("/", exchange -> {
            stubRequests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            exchange.getRequestBody().readAllBytes();
            try {
                Thread.sleep(stubDelayMillis.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] ok = "{\"status\":\"SUCCESS\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            if (exchange.getRequestMethod().equals("PUT") || exchange.getRequestMethod().equals("DELETE")) {
                exchange.sendResponseHeaders(204, -1);
            } else {
                exchange.sendResponseHeaders(200, ok.length);
                exchange.getResponseBody().write(ok);
            }
            exchange.close();
        });
        stub.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        stub.start();
    }

    /** Each test starts with the sidecar and the database up; the readiness test takes them down itself. */
    @BeforeEach
    void platformUp() {
        sidecar.healthzStatus().set(204);
        database.setAvailable(jdbcUrl, true);
    }

    @AfterAll
    static void stop() {
        if (stub != null) {
            stub.stop(0);
        }
        if (sidecar != null) {
            sidecar.stop();
        }
    }

    static List<String> deployables() {
        return Repo.deployables();
    }

    /** The environment knative/&lt;deployable&gt;.yaml gives the container, plus what daprd's injector adds. */
    private static Map<String, String> production(String deployable) {
        Map<String, String> env = new HashMap<>();
        env.put("APP_API_TOKEN", APP_TOKEN);
        env.put("DAPR_HTTP_PORT", String.valueOf(sidecar.httpPort()));
        env.put("DAPR_GRPC_PORT", String.valueOf(sidecar.port()));
        if (DATABASE_DEPLOYABLES.contains(deployable)) {
            env.put("JDBC_URL", jdbcUrl);
            env.put("JDBC_USER", EmbeddedDatabase.USER);
            env.put("JDBC_PASSWORD", "");
        }
        if (deployable.equals("task-api")) {
            env.put("TODO_JWT_SECRET", JWT_SECRET);
        }
        if (deployable.equals("event-gateway")) {
            env.put("POD_NAMESPACE", "todo");
        }
        return env;
    }

    @ParameterizedTest
    @MethodSource("deployables")
    void readinessWaitsForTheSidecarAndTheDatabaseAndInternalRoutesNeedTheAppToken(String deployable) throws Exception {
        boolean hasDatabase = DATABASE_DEPLOYABLES.contains(deployable);
        sidecar.healthzStatus().set(500);
        database.setAvailable(jdbcUrl, false);
        try (ShippedJar jar = ShippedJar.start(deployable, production(deployable), List.of())) {
            List<String> down = new ArrayList<>(List.of("dapr-sidecar"));
            if (hasDatabase) {
                down.add("database");
            }
            assertDown(jar, down);
            sidecar.healthzStatus().set(204);
            if (hasDatabase) {
                assertDown(jar, List.of("database"));
                database.setAvailable(jdbcUrl, true);
            }
            assertReady(jar, hasDatabase ? List.of("dapr-sidecar", "database") : List.of("dapr-sidecar"));
            assertTrue(jar.threadDump().contains("\"blocking-executor-thread-"), deployable
                    + ": the readiness route ran off the platform-thread pool the tests use (FunctionMain.PINNED)");

            assertEquals(401, jar.send(internalRoute(jar, null)).statusCode(), deployable + " without the app token");
            assertEquals(401, jar.send(internalRoute(jar, "not-" + APP_TOKEN)).statusCode(), deployable + " wrong token");
            HttpResponse<String> served = jar.send(internalRoute(jar, APP_TOKEN));
            assertEquals(2, served.statusCode() / 100, deployable + " with the app token: " + served.body());
        } finally {
            database.setAvailable(jdbcUrl, true);
            sidecar.healthzStatus().set(204);
        }
    }

    @ParameterizedTest
    @MethodSource("deployables")
    void withoutASidecarOrAnAppTokenThereIsNeitherCheck(String deployable) throws Exception {
        Map<String, String> env = production(deployable);
        env.remove("DAPR_HTTP_PORT");
        env.remove("APP_API_TOKEN");
        try (ShippedJar jar = ShippedJar.start(deployable, env, List.of())) {
            assertReady(jar, DATABASE_DEPLOYABLES.contains(deployable) ? List.of("database") : List.of());
            HttpResponse<String> open = jar.send(internalRoute(jar, null));
            assertEquals(2, open.statusCode() / 100, deployable + " without APP_API_TOKEN is open: " + open.body());
        }
    }

    /**
     * Every route the jar's classes declare, and {@code /prometheus}, in every spelling: without the app token (or,
     * under /api and /admin, a JWT) none reaches its handler; only the probes are open. With the token each is served.
     */
    @ParameterizedTest
    @MethodSource("deployables")
    void noRouteOfTheJarAnswersAnAnonymousCallerHoweverItsPathIsSpelled(String deployable) throws Exception {
        List<JarRoutes.Route> routes = new ArrayList<>(JarRoutes.of(ShippedJar.jar(deployable)));
        assertTrue(routes.stream().anyMatch(r -> !r.template().startsWith("/health")), deployable + ": " + routes);
        routes.add(new JarRoutes.Route("GET", "/prometheus"));
        try (ShippedJar jar = ShippedJar.start(deployable, production(deployable), List.of())) {
            for (JarRoutes.Route route : routes) {
                if (route.template().startsWith("/health")) {
                    continue;
                }
                for (String path : JarRoutes.spellings(route.path())) {
                    int status = JarRoutes.status(jar.port, route.method(), path);
                    assertTrue(Set.of(400, 401, 404, 405).contains(status), deployable + ": " + route.method() + " "
                            + path + " answered " + status + " to a caller without a token");
                }
                // the user and admin APIs prove their callers with a JWT (function-kit's AppApiTokenFilter.JWT_ROUTES)
                if (!route.template().startsWith("/api/") && !route.template().startsWith("/admin/")) {
                    int served = JarRoutes.status(jar.port, route.method(), route.path(), "dapr-api-token", APP_TOKEN);
                    assertNotEquals(401, served, deployable + ": " + route + " refuses the app token");
                }
            }
        }
    }

    /**
     * The shipped task-api against its own OpenAPI document, by a schema-driven fuzzer (schemathesis, built by
     * scripts/build-platform.sh): no 5xx, no status, content type, header or body the document does not allow, and
     * every request the document rules out is refused. Valid-looking requests may still get a 422: the document
     * cannot state rules across fields (a reminder's "before" needs dueAt, the RRULE's horizon), so that one check
     * (positive_data_acceptance) is left out. FUZZ_EXAMPLES and FUZZ_SEED widen or vary a run.
     */
    @Test
    void theShippedApiKeepsItsOpenApiContractUnderAFuzzer() throws Exception {
        Path fuzzer = RealPlatform.required().schemathesis();
        try (ShippedJar jar = ShippedJar.start("task-api", production("task-api"), List.of())) {
            Path reports = Repo.path("functions/tests/wiring-tests/target/schemathesis");
            Files.createDirectories(reports);
            Path log = reports.resolve("run.log");
            Process run = new ProcessBuilder(fuzzer.toString(), "run",
                    jar.uri("/swagger/todo-functions-task-api-1.yml").toString(), "--url", jar.uri("").toString(),
                    "-H", "Authorization: Bearer " + token("fuzzer", JWT_SECRET),
                    "--checks", "all", "--exclude-checks", "positive_data_acceptance",
                    "--max-examples", System.getenv().getOrDefault("FUZZ_EXAMPLES", "100"),
                    // one worker: with two, Hypothesis 6.170's source cache raced into a KeyError of its own
                    "--seed", System.getenv().getOrDefault("FUZZ_SEED", "19"), "--workers", "1",
                    "--report", "junit", "--report-dir", reports.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!run.waitFor(10, TimeUnit.MINUTES)) {
                run.destroyForcibly();
                fail("schemathesis did not finish within 10 minutes:\n" + Files.readString(log));
            }
            String output = Files.readString(log);
            assertEquals(0, run.exitValue(), () -> "the fuzzer found answers the document does not allow:\n" + output);
            assertTrue(output.contains(" passed"), output);
        }
    }

    @Test
    void taskApiNeedsItsJwtSecretAcceptsOnlyItsTokensAndPublishesThroughTheSidecar() throws Exception {
        Map<String, String> env = production("task-api");
        env.remove("TODO_JWT_SECRET");
        Path log = Files.createTempFile("shipped-task-api-", ".log");
        assertNotEquals(0, ShippedJar.exitCode("task-api", env, log), "task-api started without TODO_JWT_SECRET");
        assertTrue(Files.readString(log).contains("TODO_JWT_SECRET"), "the refusal names the variable");

        try (ShippedJar jar = ShippedJar.start("task-api", production("task-api"), List.of())) {
            String title = "shipped " + UUID.randomUUID();
            HttpResponse<String> created = jar.send(HttpRequest.newBuilder(jar.uri("/api/v1/tasks"))
                    .header("Authorization", "Bearer " + token("alice", JWT_SECRET))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"title\": \"" + title + "\"}")));
            assertEquals(201, created.statusCode(), created.body());
            String id = JSON.readTree(created.body()).get("id").asText();
            assertEquals(1, count("SELECT count(*) FROM tasks WHERE id = '" + id + "'"), "written to JDBC_URL");
            eventually(() -> sidecar.published().stream().anyMatch(p -> new String(p.data(), StandardCharsets.UTF_8)
                    .contains(id)), "the outbox relay publishes task " + id + " through DAPR_HTTP_PORT");

            HttpResponse<String> forged = jar.get("/api/v1/tasks");
            assertEquals(401, forged.statusCode());
            HttpResponse<String> otherSecret = jar.send(HttpRequest.newBuilder(jar.uri("/api/v1/tasks"))
                    .header("Authorization", "Bearer " + token("alice", "another-secret-another-secret-another-0")));
            assertEquals(401, otherSecret.statusCode(), "a token signed with another secret");
            assertTrue(otherSecret.headers().firstValue("WWW-Authenticate").orElse("")
                    .contains("error=\"invalid_token\""), "RFC 6750's challenge");

            // a retry with the same Idempotency-Key gets the first answer; If-Match guards a change
            String key = UUID.randomUUID().toString();
            List<HttpResponse<String>> answers = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                answers.add(jar.send(HttpRequest.newBuilder(jar.uri("/api/v1/tasks"))
                        .header("Authorization", "Bearer " + token("alice", JWT_SECRET))
                        .header("Content-Type", "application/json").header("Idempotency-Key", key)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"title\": \"retried\"}"))));
            }
            assertEquals(201, answers.get(1).statusCode(), answers.get(1).body());
            assertEquals(answers.get(0).body(), answers.get(1).body());
            String retried = JSON.readTree(answers.get(0).body()).get("id").asText();
            assertEquals("\"1\"", answers.get(0).headers().firstValue("ETag").orElseThrow());
            HttpResponse<String> stale = jar.send(HttpRequest.newBuilder(jar.uri("/api/v1/tasks/" + retried))
                    .header("Authorization", "Bearer " + token("alice", JWT_SECRET))
                    .header("Content-Type", "application/merge-patch+json").header("If-Match", "\"9\"")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"title\": \"x\"}")));
            assertEquals(412, stale.statusCode(), stale.body());
        }
    }

    @Test
    void taskApiAcceptsAnIdentityProvidersTokensFromItsJwksAndRefusesOthers() throws Exception {
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        java.security.KeyPair key = generator.generateKeyPair();
        java.security.interfaces.RSAPublicKey pub = (java.security.interfaces.RSAPublicKey) key.getPublic();
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        byte[] jwks = ("{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"k1\",\"use\":\"sig\",\"alg\":\"RS256\",\"n\":\""
                + b64.encodeToString(unsigned(pub.getModulus())) + "\",\"e\":\""
                + b64.encodeToString(unsigned(pub.getPublicExponent())) + "\"}]}").getBytes(StandardCharsets.UTF_8);
        HttpServer idp = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        idp.createContext("/jwks", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            exchange.getResponseBody().write(jwks);
            exchange.close();
        });
        idp.start();
        Map<String, String> env = production("task-api");
        env.remove("TODO_JWT_SECRET");
        env.put("TODO_JWT_JWKS_URL", "http://localhost:" + idp.getAddress().getPort() + "/jwks");
        Path log = Files.createTempFile("shipped-task-api-", ".log");
        assertNotEquals(0, ShippedJar.exitCode("task-api", env, log), "started with a JWKS but no issuer or audience");
        assertTrue(Files.readString(log).contains("TODO_JWT_ISSUER"), "the refusal names what is missing");
        env.put("TODO_JWT_ISSUER", "https://idp.example.test");
        env.put("TODO_JWT_AUDIENCE", "todo-api");
        try (ShippedJar jar = ShippedJar.start("task-api", env, List.of())) {
            String good = rs256(key, "{\"sub\":\"carol\",\"iss\":\"https://idp.example.test\",\"aud\":\"todo-api\",\"exp\":"
                    + Instant.now().plusSeconds(600).getEpochSecond() + "}");
            HttpResponse<String> created = jar.send(HttpRequest.newBuilder(jar.uri("/api/v1/tasks"))
                    .header("Authorization", "Bearer " + good).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"title\": \"from the IdP\"}")));
            assertEquals(201, created.statusCode(), created.body());
            assertEquals("carol", JSON.readTree(created.body()).get("userId").asText());
            String otherAudience = rs256(key, "{\"sub\":\"carol\",\"iss\":\"https://idp.example.test\","
                    + "\"aud\":\"another-api\",\"exp\":" + Instant.now().plusSeconds(600).getEpochSecond() + "}");
            for (String refused : List.of(otherAudience, token("carol", JWT_SECRET))) {
                HttpResponse<String> answer = jar.send(HttpRequest.newBuilder(jar.uri("/api/v1/tasks"))
                        .header("Authorization", "Bearer " + refused));
                assertEquals(401, answer.statusCode(), answer.body());
                assertTrue(answer.headers().firstValue("WWW-Authenticate").orElse("")
                        .startsWith("Bearer realm=\"todo\", error=\"invalid_token\""), answer.headers().toString());
            }
        } finally {
            idp.stop(0);
        }
    }

    /** A JWK's big-endian unsigned integer (RFC 7518 §6.3.1): without the sign byte Java adds. */
    private static byte[] unsigned(java.math.BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes[0] == 0 ? java.util.Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }

    private static String rs256(java.security.KeyPair key, String claims) throws Exception {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String signed = b64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"k1\"}"
                .getBytes(StandardCharsets.UTF_8)) + "." + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        java.security.Signature rsa = java.security.Signature.getInstance("SHA256withRSA");
        rsa.initSign(key.getPrivate());
        rsa.update(signed.getBytes(StandardCharsets.UTF_8));
        return signed + "." + b64.encodeToString(rsa.sign());
    }

    @Test
    void taskCreatedSchedulesAtTheConfiguredUrlAndKeepsItsWatermarkInTheSidecar() throws Exception {
        Map<String, String> env = production("task-created");
        env.put("TODO_SCHEDULES_URL", "http://localhost:" + stub.getAddress().getPort());
        try (ShippedJar jar = ShippedJar.start("task-created", env, List.of())) {
            UUID task = UUID.randomUUID();
            UUID reminder = UUID.randomUUID();
            Instant due = Instant.now().plus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
            TaskSnapshot snapshot = new TaskSnapshot(task, "alice", "Shipped", null, "pending", "medium", List.of(), due,
                    "UTC", List.of(new TaskSnapshot.Reminder(reminder, "PT1H", null, due.minusSeconds(3600))), null, null,
                    1, Instant.now(), Instant.now(), null);
            HttpResponse<String> handled = postEvent(jar, "/task-created",
                    event(EventType.TASK_CREATED, task.toString(), task.toString(), snapshot));
            assertEquals("{\"status\":\"SUCCESS\"}", handled.body());
            assertTrue(stubRequests.contains("PUT /schedules/reminder-" + reminder), stubRequests.toString());
            assertTrue(sidecar.state().containsKey("task-" + task), "the watermark is in the sidecar's state store");
        }
    }

    /** The sidecar calls carry DAPR_API_TOKEN; the warm-up (on unless TODO_WARMUP_ENABLED=false) asks the metadata API. */
    @Test
    void daprApiTokenReachesTheSidecarAndTheWarmUpCanBeTurnedOff() throws Exception {
        Map<String, String> env = production("task-deleted");
        env.put("DAPR_API_TOKEN", "shipped-dapr-token");
        int metadata = sidecar.metadataCalls();
        try (ShippedJar jar = ShippedJar.start("task-deleted", env, List.of())) {
            eventually(() -> sidecar.metadataCalls() > metadata, "the warm-up asks the sidecar's metadata");
            assertTrue(sidecar.apiTokens().contains("shipped-dapr-token"), sidecar.apiTokens().toString());
            assertReady(jar, List.of("dapr-sidecar"));
        }
        env.put("TODO_WARMUP_ENABLED", "false");
        int before = sidecar.metadataCalls();
        try (ShippedJar jar = ShippedJar.start("task-deleted", env, List.of())) {
            assertReady(jar, List.of("dapr-sidecar"));
            Thread.sleep(2_000); // the enabled warm-up above called it within this time
            assertEquals(before, sidecar.metadataCalls(), "TODO_WARMUP_ENABLED=false: no warm-up");
        }
    }

    @Test
    void reminderDueDeliversThroughTheBindingOnlyWhenOneIsConfigured() throws Exception {
        Map<String, String> env = production("reminder-due");
        env.put("TODO_NOTIFICATIONS_BINDING", "webhook");
        env.put("TODO_NOTIFICATIONS_OPERATION", "post");
        env.put("TODO_EMAIL_BINDING", "mail");
        try (Connection c = DriverManager.getConnection(jdbcUrl, EmbeddedDatabase.USER, "")) {
            c.createStatement().executeUpdate("INSERT INTO notification_settings (user_id, email, email_verified_at, "
                    + "updated_at) VALUES ('alice', 'alice@example.org', now(), now()) ON CONFLICT DO NOTHING");
        }
        try (ShippedJar jar = ShippedJar.start("reminder-due", env, List.of())) {
            int before = sidecar.bindings().size();
            assertEquals("{\"status\":\"SUCCESS\"}", postEvent(jar, "/reminder-due", seededReminderDue()).body());
            assertEquals(before + 2, sidecar.bindings().size(), "both bindings are called");
            var calls = sidecar.bindings().subList(before, before + 2);
            var mail = calls.stream().filter(b -> b.name().equals("mail")).findFirst().orElseThrow();
            assertEquals("create", mail.operation());
            assertEquals("alice@example.org", mail.metadata().get("emailTo"), "TODO_EMAIL_BINDING: the user's address");
            var webhook = calls.stream().filter(b -> b.name().equals("webhook")).findFirst().orElseThrow();
            assertEquals("post", webhook.operation(), "TODO_NOTIFICATIONS_OPERATION");
        }
        try (ShippedJar jar = ShippedJar.start("reminder-due", production("reminder-due"), List.of())) {
            int before = sidecar.bindings().size();
            int notifications = count("SELECT count(*) FROM notifications");
            assertEquals("{\"status\":\"SUCCESS\"}", postEvent(jar, "/reminder-due", seededReminderDue()).body());
            assertEquals(notifications + 1, count("SELECT count(*) FROM notifications"), "in-app always");
            assertEquals(before, sidecar.bindings().size(), "no binding unless one is configured");
        }
    }

    @Test
    void recurringScheduledCreatesTheNextOccurrenceInItsDatabaseAndPublishesIt() throws Exception {
        try (ShippedJar jar = ShippedJar.start("recurring-scheduled", production("recurring-scheduled"), List.of())) {
            UUID series = UUID.randomUUID();
            Instant at = Instant.parse("2031-01-06T09:00:00Z");
            RecurringScheduled data = new RecurringScheduled(series, series, EventIds.occurrence(series, at), "alice", at,
                    new RecurringScheduled.Template("Shipped series", null, "medium", List.of(), "UTC", List.of(),
                            "FREQ=DAILY", at));
            String next = data.nextTaskId().toString();
            assertEquals("{\"status\":\"SUCCESS\"}", postEvent(jar, "/recurring-scheduled",
                    event(EventType.RECURRING_SCHEDULED, next, next, data)).body());
            assertEquals(1, count("SELECT count(*) FROM tasks WHERE id = '" + next + "'"));
            eventually(() -> sidecar.published().stream().anyMatch(p -> new String(p.data(), StandardCharsets.UTF_8)
                    .contains(next)), "the next occurrence's task.created is published");
        }
    }

    /**
     * The gateway's function URLs: {@code POD_NAMESPACE} names the Knative URL (seen through an HTTP proxy, the only
     * host the test can stand in for), {@code TODO_GATEWAY_FUNCTIONS_<NAME>_URL} replaces it, and
     * {@code TODO_GATEWAY_FORWARD_TIMEOUT} bounds a forward.
     */
    @Test
    void gatewayForwardsWhereAndAsLongAsItsEnvironmentSays() throws Exception {
        Map<String, String> env = production("event-gateway");
        env.put("POD_NAMESPACE", "shipped-ns");
        env.put("TODO_GATEWAY_FORWARD_TIMEOUT", "1s");
        env.put("TODO_GATEWAY_FUNCTIONS_TASK_UPDATED_URL", "http://localhost:" + stub.getAddress().getPort());
        int proxy = stub.getAddress().getPort();
        try (ShippedJar jar = ShippedJar.start("event-gateway", env,
                List.of("-Dhttp.proxyHost=localhost", "-Dhttp.proxyPort=" + proxy))) {
            stubRequests.clear();
            String id = UUID.randomUUID().toString();
            byte[] event = event(EventType.TASK_CREATED, id, id, Map.of());
            assertEquals("{\"status\":\"SUCCESS\"}", forward(jar, "task-created", event).body());
            assertTrue(stubRequests.contains("POST http://task-created.shipped-ns.svc.cluster.local/task-created"),
                    stubRequests.toString());
            assertEquals("{\"status\":\"SUCCESS\"}", forward(jar, "task-updated", event).body());
            assertTrue(stubRequests.contains("POST /task-updated"), stubRequests.toString());

            stubDelayMillis.set(4_000);
            long start = System.nanoTime();
            HttpResponse<String> slow = forward(jar, "task-created", event);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(slow.body().contains("RETRY"), slow.body());
            assertTrue(millis < 3_000, "a 1 s forward timeout answered after " + millis + " ms");
        } finally {
            stubDelayMillis.set(0);
        }
    }

    private static HttpResponse<String> forward(ShippedJar jar, String function, byte[] event) throws Exception {
        return jar.send(HttpRequest.newBuilder(jar.uri("/forward/" + function)).timeout(Duration.ofSeconds(30))
                .header("dapr-api-token", APP_TOKEN).header("Content-Type", "application/cloudevents+json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(event)));
    }

    /** A route only a caller with the app token may use; with it, each answers 2xx. */
    private static HttpRequest.Builder internalRoute(ShippedJar jar, String token) {
        HttpRequest.Builder request = switch (jar.deployable) {
            case "task-api" -> HttpRequest.newBuilder(jar.uri("/outbox/flush")).POST(HttpRequest.BodyPublishers.noBody());
            case "event-gateway" -> HttpRequest.newBuilder(jar.uri("/schedules/shipped-jar-check")).DELETE();
            default -> HttpRequest.newBuilder(jar.uri("/" + jar.deployable))
                    .header("Content-Type", "application/cloudevents+json")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")); // not a CloudEvent: 200 DROP
        };
        request.timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("dapr-api-token", token);
        }
        return request;
    }

    private static void assertDown(ShippedJar jar, List<String> down) throws Exception {
        for (int probe = 0; probe < 3; probe++) {
            long start = System.nanoTime();
            HttpResponse<String> answer = jar.get("/health/readiness");
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(503, answer.statusCode(), jar.deployable + ": " + answer.body());
            JsonNode body = JSON.readTree(answer.body());
            assertEquals(down.toString().replace(" ", ""), body.get("down").toString().replace("\"", ""),
                    jar.deployable + " names what is down");
            if (probe > 0) { // the first request of a process also loads what serving takes
                assertTrue(millis < PROBE_TIMEOUT.toMillis(), jar.deployable + ": a probe took " + millis + " ms");
            }
        }
    }

    private static void assertReady(ShippedJar jar, List<String> checks) throws Exception {
        HttpResponse<String> answer = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            answer = jar.get("/health/readiness");
            if (answer.statusCode() == 200) {
                break;
            }
            Thread.sleep(100);
        }
        assertEquals(200, answer.statusCode(), jar.deployable + ": " + answer.body());
        JsonNode checked = JSON.readTree(answer.body()).get("checks");
        assertTrue(checked != null, jar.deployable + "'s readiness does not say what it checked: " + answer.body());
        assertEquals(checks.toString().replace(" ", ""), checked.toString().replace("\"", ""),
                jar.deployable + " checks what it needs");
    }

    private static HttpResponse<String> postEvent(ShippedJar jar, String route, byte[] event) throws Exception {
        return jar.send(HttpRequest.newBuilder(jar.uri(route)).timeout(Duration.ofSeconds(30))
                .header("dapr-api-token", APP_TOKEN).header("Content-Type", "application/cloudevents+json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(event)));
    }

    private static byte[] event(EventType type, String id, String subject, Object data) {
        return StructuredEvents.serialize(StructuredEvents.build(type, id, "/shipped-jars-test", subject, Instant.now(),
                EventJson.bytes(data)));
    }

    /** A pending task with a reminder, and the reminder.due event its job would publish. */
    private static byte[] seededReminderDue() throws Exception {
        UUID task = UUID.randomUUID();
        UUID reminder = UUID.randomUUID();
        Instant remindAt = Instant.parse("2031-01-01T08:50:00Z");
        try (Connection c = DriverManager.getConnection(jdbcUrl, EmbeddedDatabase.USER, "")) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO tasks (id, user_id, title, status, priority, "
                    + "time_zone, version, created_at, updated_at, due_at) VALUES (?, 'alice', 'Shipped', 'pending', "
                    + "'medium', 'UTC', 1, now(), now(), ?)")) {
                ps.setObject(1, task);
                ps.setTimestamp(2, Timestamp.from(remindAt.plusSeconds(600)));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO reminders (id, task_id, position, before_offset, "
                    + "remind_at) VALUES (?, ?, 0, 'PT10M', ?)")) {
                ps.setObject(1, reminder);
                ps.setObject(2, task);
                ps.setTimestamp(3, Timestamp.from(remindAt));
                ps.executeUpdate();
            }
        }
        ReminderDue data = new ReminderDue(reminder, task, "alice", remindAt, null, "Shipped", 1);
        return event(EventType.REMINDER_DUE, EventIds.reminderDue(reminder, remindAt).toString(), task.toString(), data);
    }

    private static int count(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl, EmbeddedDatabase.USER, "");
             ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void eventually(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not within 10 s: " + what);
            }
            Thread.sleep(50);
        }
    }

    /** An HS256 JWT as an identity provider or scripts/dev-token.sh would sign it. */
    private static String token(String user, String secret) throws Exception {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String claims = b64.encodeToString(("{\"sub\":\"" + user + "\",\"exp\":"
                + Instant.now().plusSeconds(600).getEpochSecond() + "}").getBytes(StandardCharsets.UTF_8));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String signed = header + "." + claims;
        return signed + "." + b64.encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
    }
}
