package com.todo.platform;

import com.todo.embedded.EmbeddedDatabase;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The production topology on one machine: PostgreSQL (embedded, or {@code JDBC_URL}), a Kafka broker with SASL/SCRAM,
 * the Dapr scheduler, and for each deployable its shipped {@code *-all.jar} started as knative/*.yaml starts it,
 * next to its own daprd (app-id = the function's name) reading the repository's dapr-components/. What cannot be
 * the same outside Kubernetes is replaced by a generated overlay, and reported: the secret store (a local file
 * instead of Kubernetes secrets) and the Configuration (no accessControl: its policies name SPIFFE identities that
 * only Dapr's mTLS gives). The gateway reaches the functions by URL instead of their Knative addresses.
 */
public final class ClusterTopology implements AutoCloseable {

    public static final List<String> DEPLOYABLES = List.of("event-gateway", "task-api", "task-created", "task-updated",
            "task-completed", "task-deleted", "reminder-due", "recurring-scheduled");
    private static final List<String> DATABASE_APPS = List.of("task-api", "reminder-due", "recurring-scheduled");
    private static final String VERSION = "0.1.0-SNAPSHOT";

    /**
     * What a run takes: where data and logs go, the API's port, the JWT secret, the JVM for the jars, and environment
     * that a deployable's pod adds (by name; e.g. the image's {@code JAVA_TOOL_OPTIONS} with its AOT cache).
     */
    public record Settings(Path dataDir, Path logDir, int apiPort, String jwtSecret, Path appJava,
                           List<String> appJvmFlags, String jdbcUrl, String jdbcUser, String jdbcPassword,
                           Map<String, Map<String, String>> appEnvironment, List<String> optionalComponents,
                           Map<String, Map<String, String>> secrets) {
        public Settings {
            appJvmFlags = List.copyOf(appJvmFlags);
            appEnvironment = Map.copyOf(appEnvironment);
            optionalComponents = List.copyOf(optionalComponents);
            secrets = Map.copyOf(secrets);
        }

        public Settings(Path dataDir, Path logDir, int apiPort, String jwtSecret, Path appJava, List<String> appJvmFlags,
                        String jdbcUrl, String jdbcUser, String jdbcPassword,
                        Map<String, Map<String, String>> appEnvironment) {
            this(dataDir, logDir, apiPort, jwtSecret, appJava, appJvmFlags, jdbcUrl, jdbcUser, jdbcPassword,
                    appEnvironment, List.of(), Map.of());
        }

        public Settings(Path dataDir, Path logDir, int apiPort, String jwtSecret, Path appJava, List<String> appJvmFlags,
                        String jdbcUrl, String jdbcUser, String jdbcPassword) {
            this(dataDir, logDir, apiPort, jwtSecret, appJava, appJvmFlags, jdbcUrl, jdbcUser, jdbcPassword, Map.of());
        }

        /**
         * With one of dapr-components/optional/ applied as a deploy with its flag applies it: the component, the
         * secret it reads (by name, as {@code kubectl create secret} would hold it) and the environment
         * scripts/deploy.sh gives its callers.
         */
        public Settings withOptional(String component, String secretName, Map<String, String> secret,
                                     Map<String, Map<String, String>> callerEnvironment) {
            Map<String, Map<String, String>> env = new LinkedHashMap<>(appEnvironment);
            callerEnvironment.forEach((app, vars) -> env.merge(app, vars, (a, b) -> {
                Map<String, String> merged = new LinkedHashMap<>(a);
                merged.putAll(b);
                return merged;
            }));
            List<String> components = new ArrayList<>(optionalComponents);
            components.add(component);
            Map<String, Map<String, String>> allSecrets = new LinkedHashMap<>(secrets);
            allSecrets.put(secretName, secret);
            return new Settings(dataDir, logDir, apiPort, jwtSecret, appJava, appJvmFlags, jdbcUrl, jdbcUser,
                    jdbcPassword, env, components, allSecrets);
        }
    }

    /** One deployable: its jar and its sidecar. */
    public record App(String name, int port, Daprd daprd, ChildProcess jar) {
        public String url(String path) {
            return "http://127.0.0.1:" + port + path;
        }
    }

    /**
     * A part a fault can take down: killed as a pod's container is (SIGKILL, with everything it started), started again
     * as Kubernetes restarts it (same ports, configuration and data), ready once its own health check passes.
     */
    public record Part(String name, Runnable kill, Runnable restart, Runnable awaitReady) {
    }

    private final List<AutoCloseable> started = new ArrayList<>();
    private final Map<String, App> apps = new LinkedHashMap<>();
    private LocalOverlay overlay;
    private EmbeddedDatabase database;
    private Path databaseDir;
    private KafkaBroker kafka;
    private DaprScheduler scheduler;
    private String jdbcUrl;
    private String jdbcUser;
    private String jdbcPassword;
    private String appApiToken;
    private Platform platform;
    private Settings settings;
    private Map<String, String> jdbc;
    private Map<String, Integer> ports;

    private ClusterTopology() {
    }

    /** Starts everything and waits until every deployable is ready; stops what started if anything fails. */
    public static ClusterTopology start(Platform platform, Settings settings, Consumer<String> progress) {
        ClusterTopology topology = new ClusterTopology();
        try {
            topology.run(platform.requireBuilt(), settings, progress);
            return topology;
        } catch (RuntimeException | Error e) {
            topology.close();
            throw e;
        }
    }

    private void run(Platform platform, Settings s, Consumer<String> progress) {
        this.platform = platform;
        Path repo = platform.repository();
        for (String app : DEPLOYABLES) {
            if (!Files.isRegularFile(jar(repo, app))) {
                throw new IllegalStateException(jar(repo, app) + " is missing: build with mvn -DskipTests package");
            }
        }
        mkdirs(s.dataDir());
        mkdirs(s.logDir());
        appApiToken = secret(s.dataDir().resolve("app-api-token"));

        String user = s.jdbcUser();
        String password = s.jdbcPassword();
        if (s.jdbcUrl() == null) {
            progress.accept("PostgreSQL: embedded, data in " + s.dataDir().resolve("postgres"));
            databaseDir = s.dataDir().resolve("postgres");
            database = EmbeddedDatabase.start(databaseDir);
            started.add(database);
            jdbcUrl = database.jdbcUrl();
            user = database.appUser();
            password = database.appPassword();
        } else {
            progress.accept("PostgreSQL: " + s.jdbcUrl());
            jdbcUrl = s.jdbcUrl();
        }
        jdbcUser = user;
        jdbcPassword = password;
        Map<String, String> jdbc = Map.of("JDBC_URL", jdbcUrl, "JDBC_USER", user, "JDBC_PASSWORD", password);
        migrate(repo, s, jdbc);

        progress.accept("Kafka " + platform.version("KAFKA_VERSION") + ": SASL/SCRAM listener");
        kafka = KafkaBroker.start(platform, s.dataDir().resolve("kafka"), s.logDir().resolve("kafka.log"));
        started.add(kafka);
        kafka.createTopics(topics(repo.resolve("dapr-components/topics.md")));
        progress.accept("Kafka: " + kafka.bootstrap() + ", topics of dapr-components/topics.md");

        scheduler = DaprScheduler.start(platform, s.dataDir().resolve("scheduler"), s.logDir().resolve("scheduler.log"));
        started.add(scheduler);
        progress.accept("Dapr scheduler " + platform.version("DAPR_VERSION") + ": " + scheduler.address());

        overlay = LocalOverlay.write(repo, s.dataDir().resolve("overlay"), pgxConnection(jdbcUrl, user, password), kafka,
                s.optionalComponents(), s.secrets());
        overlay.replaced().forEach(r -> progress.accept("overlay: " + r));

        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String app : DEPLOYABLES) {
            ports.put(app, app.equals("task-api") ? s.apiPort() : ChildProcess.freePort());
        }
        Map<String, Daprd> sidecars = new LinkedHashMap<>();
        for (String app : DEPLOYABLES) {
            Daprd daprd = Daprd.launch(platform, sidecarOptions(app, ports.get(app)),
                    s.logDir().resolve("daprd-" + app + ".log"));
            started.add(daprd);
            sidecars.put(app, daprd);
        }
        for (String app : DEPLOYABLES) {
            sidecars.get(app).process().awaitHttp(sidecars.get(app).httpUrl("/v1.0/healthz/outbound"), 204,
                    Duration.ofSeconds(90));
        }
        progress.accept("daprd " + platform.version("DAPR_VERSION") + ": 8 sidecars, components loaded");
        this.settings = s;
        this.jdbc = jdbc;
        this.ports = ports;
        for (String app : DEPLOYABLES) {
            ChildProcess jar = startJar(app, app, ports.get(app), sidecars.get(app), Map.of());
            apps.put(app, new App(app, ports.get(app), sidecars.get(app), jar));
        }
        for (App app : apps.values()) {
            app.jar().awaitHttp(app.url("/health/readiness"), 200, Duration.ofSeconds(120));
            app.daprd().awaitHealthy(Duration.ofSeconds(60));
        }
        progress.accept("all 8 deployables ready; the API: http://127.0.0.1:" + s.apiPort());
    }

    /** As knative/&lt;app&gt;.yaml's annotations say: an app port (and daprd's calls to the app) only where it names one. */
    private Daprd.Options sidecarOptions(String app, int appPort) {
        Daprd.Options options = Daprd.Options.of(app, appChannel(platform.repository(), app) ? appPort : 0,
                overlay.resources()).config(overlay.configuration()).scheduler(scheduler.address());
        return options.appPort() > 0 ? options.appApiToken(appApiToken).maxConcurrency(50) : options;
    }

    private static boolean appChannel(Path repo, String app) {
        try {
            return Files.readString(repo.resolve("knative/" + app + ".yaml")).contains("dapr.io/app-port:");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A deployable's jar next to its sidecar, configured as its pod would be; {@code extra} overrides. */
    private ChildProcess startJar(String app, String name, int port, Daprd sidecar, Map<String, String> extra) {
        Map<String, String> env = new LinkedHashMap<>(sidecar.appEnvironment());
        env.put("PORT", String.valueOf(port));
        // a pod's app listens on every interface of its pod; on a shared machine only its owner may reach it
        env.put("MICRONAUT_SERVER_HOST", "127.0.0.1");
        env.put("APP_API_TOKEN", appApiToken);
        if (DATABASE_APPS.contains(app)) {
            env.putAll(jdbc);
        }
        if (app.equals("task-api")) {
            env.put("TODO_JWT_SECRET", settings.jwtSecret());
        }
        if (app.equals("event-gateway")) {
            env.put("POD_NAMESPACE", "todo");
            env.put("TODO_GATEWAY_FORWARD_TIMEOUT", "30s");
            for (String function : DEPLOYABLES) {
                if (!function.equals("event-gateway")) {
                    env.put(gatewayUrlVariable(function), "http://127.0.0.1:" + ports.get(function));
                }
            }
        }
        env.putAll(settings.appEnvironment().getOrDefault(app, Map.of()));
        env.putAll(extra);
        List<String> command = new ArrayList<>(List.of(settings.appJava().toString()));
        command.addAll(settings.appJvmFlags());
        command.addAll(List.of("-jar", jar(platform.repository(), app).toString()));
        ChildProcess jar = ChildProcess.start(name, command, env, settings.logDir().resolve(name + ".log"));
        started.add(jar);
        return jar;
    }

    /**
     * Another pod of a deployable, as its autoscaler adds one: a new daprd with the same app-id (so the same consumer
     * group and scheduler jobs) next to a new jar, on new ports; {@code extra} overrides the jar's environment.
     * Stopped with the topology, or earlier by closing its jar and daprd.
     */
    public App startReplica(String app, String name, Map<String, String> extra) {
        int port = ChildProcess.freePort();
        Daprd sidecar = Daprd.launch(platform, sidecarOptions(app, port), settings.logDir().resolve("daprd-" + name + ".log"));
        started.add(sidecar);
        sidecar.process().awaitHttp(sidecar.httpUrl("/v1.0/healthz/outbound"), 204, Duration.ofSeconds(90));
        App replica = new App(name, port, sidecar, startJar(app, name, port, sidecar, extra));
        replica.jar().awaitHttp(replica.url("/health/readiness"), 200, Duration.ofSeconds(120));
        sidecar.awaitHealthy(Duration.ofSeconds(60));
        return replica;
    }

    /** The gateway's variable that says where it forwards a function's events. */
    public static String gatewayUrlVariable(String function) {
        return "TODO_GATEWAY_FUNCTIONS_" + function.toUpperCase(Locale.ROOT).replace('-', '_') + "_URL";
    }

    /** A deployable's shipped jar in the repository. */
    public static Path jar(Path repo, String app) {
        return repo.resolve("functions/" + app + "/target/" + app + "-" + VERSION + "-all.jar");
    }

    /** The schema, before any function starts: the migrate Job of knative/migrate-job.yaml. */
    private static void migrate(Path repo, Settings s, Map<String, String> jdbc) {
        ChildProcess migrate = ChildProcess.start("migrate", List.of(s.appJava().toString(), "-cp",
                jar(repo, "task-api").toString(), "com.todo.domain.Migrate"), jdbc, s.logDir().resolve("migrate.log"));
        int exit = migrate.awaitExit(Duration.ofMinutes(2));
        if (exit != 0) {
            throw new IllegalStateException("migrate exited with " + exit + ":\n" + migrate.tail(30));
        }
    }

    /** Topic names and partitions from the table in dapr-components/topics.md. */
    public static Map<String, Integer> topics(Path topicsMd) {
        Map<String, Integer> topics = new LinkedHashMap<>();
        Pattern row = Pattern.compile("^\\|\\s*([a-z0-9, -]+?)\\s*\\|\\s*(\\d+)\\s*\\|");
        try {
            for (String line : Files.readAllLines(topicsMd)) {
                Matcher m = row.matcher(line);
                if (m.find()) {
                    for (String topic : m.group(1).split(",")) {
                        topics.put(topic.strip(), Integer.parseInt(m.group(2)));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (topics.isEmpty()) {
            throw new IllegalStateException("no topics in " + topicsMd);
        }
        return topics;
    }

    /** The state store's connection string in pgx's key=value form, from the JDBC URL. */
    static String pgxConnection(String jdbcUrl, String user, String password) {
        URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
        String database = uri.getPath().substring(1);
        String connection = "host=" + uri.getHost() + " port=" + (uri.getPort() < 0 ? 5432 : uri.getPort())
                + " user=" + quoted(user) + " dbname=" + quoted(database) + " sslmode=disable";
        return password.isEmpty() ? connection : connection + " password=" + quoted(password);
    }

    /** A value of libpq's key=value form: quoted when it holds a space, a quote or a backslash. */
    private static String quoted(String value) {
        if (!value.isEmpty() && value.chars().noneMatch(c -> c == ' ' || c == '\'' || c == '\\')) {
            return value;
        }
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** A random secret kept in {@code file} (readable by its owner only), made on first use. */
    public static String secret(Path file) {
        try {
            if (Files.exists(file)) {
                return Files.readString(file).strip();
            }
            byte[] bytes = new byte[24];
            new SecureRandom().nextBytes(bytes);
            String token = HexFormat.of().formatHex(bytes);
            writePrivate(file, token);
            return token;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void writePrivate(Path file, String text) throws IOException {
        mkdirs(file.getParent());
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, text);
    }

    /** Creates a folder readable by its owner only: it holds secrets and data. */
    static void mkdirs(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Every process of the topology as a fault target: each deployable's jar and its daprd, the scheduler, the broker
     * and, when it is the embedded one, PostgreSQL.
     */
    public List<Part> parts() {
        List<Part> parts = new ArrayList<>();
        for (App app : apps.values()) {
            parts.add(new Part(app.name(), app.jar()::kill, app.jar()::restart,
                    () -> app.jar().awaitHttp(app.url("/health/readiness"), 200, Duration.ofSeconds(120))));
        }
        for (App app : apps.values()) {
            ChildProcess sidecar = app.daprd().process();
            parts.add(new Part(sidecar.name(), sidecar::kill, sidecar::restart, () -> {
                app.daprd().awaitHealthy(Duration.ofSeconds(90));
                app.jar().awaitHttp(app.url("/health/readiness"), 200, Duration.ofSeconds(60));
            }));
        }
        parts.add(new Part("scheduler", scheduler.process()::kill, scheduler.process()::restart,
                () -> scheduler.awaitHealthy(Duration.ofSeconds(90))));
        parts.add(new Part("kafka", kafka.process()::kill, kafka.process()::restart,
                () -> kafka.awaitListening(Duration.ofSeconds(90))));
        if (database != null) {
            parts.add(new Part("postgres", this::killDatabase, this::restartDatabase, () -> { }));
        }
        return parts;
    }

    private void killDatabase() {
        ProcessHandle postmaster = EmbeddedDatabase.serverProcess(databaseDir)
                .orElseThrow(() -> new IllegalStateException("no PostgreSQL runs on " + databaseDir));
        List<ProcessHandle> tree = new ArrayList<>(postmaster.descendants().toList());
        tree.add(postmaster);
        tree.forEach(ProcessHandle::destroyForcibly);
        tree.forEach(p -> p.onExit().orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join());
    }

    /** The same folder on the same port; the new server replaces the old one in the stop order. */
    private void restartDatabase() {
        try {
            database.close(); // releases its lock on the folder; the server it stopped is gone already
        } catch (RuntimeException alreadyDead) {
            // pg_ctl found no server to stop: that is the fault
        }
        EmbeddedDatabase again = EmbeddedDatabase.start(databaseDir, database.port());
        started.set(started.indexOf(database), again);
        database = again;
    }

    public App app(String name) {
        App app = apps.get(name);
        if (app == null) {
            throw new IllegalArgumentException("no deployable " + name);
        }
        return app;
    }

    public KafkaBroker kafka() {
        return kafka;
    }

    public DaprScheduler scheduler() {
        return scheduler;
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** A connection to the tasks' database, as the apps sign in. */
    public java.sql.Connection connectDatabase() throws java.sql.SQLException {
        return java.sql.DriverManager.getConnection(jdbcUrl, jdbcUser, jdbcPassword);
    }

    public String appApiToken() {
        return appApiToken;
    }

    public LocalOverlay overlay() {
        return overlay;
    }

    /** Stops the jars first, then their sidecars, then the platform, as a cluster drains. */
    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                System.err.println("stopping " + started.get(i) + ": " + e);
            }
        }
        started.clear();
    }
}
