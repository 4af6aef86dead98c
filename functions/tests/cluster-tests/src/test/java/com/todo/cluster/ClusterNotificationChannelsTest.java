package com.todo.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.todo.platform.ChildProcess;
import com.todo.platform.ClusterMain;
import com.todo.platform.ClusterTopology;
import com.todo.platform.DevToken;
import com.todo.platform.Platform;
import com.todo.platform.RealPlatform;
import com.sun.net.httpserver.HttpServer;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Per-user channels on the real platform: dapr-components/optional/binding-email.yaml loaded by the real daprd next
 * to the shipped task-api and reminder-due (as {@code scripts/deploy.sh --with-email} deploys them), an SMTP server
 * (GreenMail) in this JVM where the mail lands, and a loopback webhook receiver that checks each call's signature
 * (the jars are told loopback receivers are allowed, which a deployment is not). An address is verified with the
 * code daprd's bindings.smtp mailed, a webhook by answering its challenge; each user's reminder reaches only that
 * user's verified channel, once; an unverified address gets only its code.
 */
class ClusterNotificationChannelsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String SECRET = "cluster-email-secret-cluster-email-secret-01";
    private static final Path dir = Path.of("target/cluster-channels").toAbsolutePath();
    private static final String SETTINGS = "/api/v1/me/notification-settings";
    private static GreenMail smtp;
    private static ClusterTopology cluster;
    private static HttpServer hooks;
    /** Each webhook call: path, body, Todo-Signature. */
    private static final List<String[]> calls = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        Platform platform = RealPlatform.required();
        ClusterEndToEndTest.deleteRecursively(dir);
        smtp = new GreenMail(new ServerSetup(ChildProcess.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.setUser("todo-mailer", "smtp-password-not-in-any-yaml");
        smtp.start();
        Map<String, String> email = Map.of("TODO_EMAIL_BINDING", "email", "TODO_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES", "true");
        ClusterTopology.Settings settings = new ClusterTopology.Settings(dir.resolve("data"), dir.resolve("logs"),
                ChildProcess.freePort(), SECRET, ClusterMain.appJava(), ClusterMain.IMAGE_FLAGS, null, null, null)
                .withOptional("binding-email.yaml", "smtp", Map.of("host", "127.0.0.1",
                                "port", String.valueOf(smtp.getSmtp().getPort()), "user", "todo-mailer",
                                "password", "smtp-password-not-in-any-yaml"),
                        Map.of("task-api", email, "reminder-due", email));
        cluster = ClusterTopology.start(platform, settings, line -> System.out.println("[channels] " + line));
        hooks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hooks.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String signature = exchange.getRequestHeaders().getFirst("Todo-Signature");
            JsonNode json = JSON.readTree(body);
            calls.add(new String[]{exchange.getRequestURI().getPath(), new String(body, StandardCharsets.UTF_8),
                    signature});
            byte[] answer = json.path("type").asText().equals("challenge")
                    ? ("{\"challenge\":\"" + json.path("challenge").asText() + "\"}").getBytes(StandardCharsets.UTF_8)
                    : new byte[0];
            exchange.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        hooks.start();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (smtp != null) {
            smtp.stop();
        }
        if (hooks != null) {
            hooks.stop(0);
        }
    }

    @Test
    void usersWithVerifiedChannelsEachGetOnlyTheirOwnReminderOnceAndAnUnverifiedAddressOnlyItsCode()
            throws Exception {
        String ann = DevToken.sign("ann-" + UUID.randomUUID(), SECRET, Duration.ofHours(1));
        String bob = DevToken.sign("bob-" + UUID.randomUUID(), SECRET, Duration.ofHours(1));
        String cid = DevToken.sign("cid-" + UUID.randomUUID(), SECRET, Duration.ofHours(1));
        String eve = DevToken.sign("eve-" + UUID.randomUUID(), SECRET, Duration.ofHours(1));
        HttpResponse<String> hook = api(eve, "PUT", SETTINGS, "{\"webhook\": \"http://127.0.0.1:"
                + hooks.getAddress().getPort() + "/eve\"}");
        assertEquals(200, hook.statusCode(), hook.body());
        String eveSecret = JSON.readTree(hook.body()).at("/webhook/secret").asText();
        verify(ann, "ann@example.org");
        verify(bob, "bob@example.org");
        assertEquals(200, api(cid, "PUT", SETTINGS, "{\"email\": \"cid@example.org\"}").statusCode());
        code("cid@example.org");

        Instant at = Instant.now().plusSeconds(8).truncatedTo(ChronoUnit.SECONDS);
        for (String[] user : List.of(new String[]{ann, "Ann's <dentist> & co"}, new String[]{bob, "Bob's tax return"},
                new String[]{cid, "Cid's plants"}, new String[]{eve, "Eve's meeting"})) {
            HttpResponse<String> created = api(user[0], "POST", "/api/v1/tasks", JSON.writeValueAsString(Map.of(
                    "title", user[1], "reminders", List.of(Map.of("at", at.toString())))));
            assertEquals(201, created.statusCode(), created.body());
        }
        MimeMessage annMail = awaitMail("ann@example.org", "Reminder: ", Duration.ofSeconds(60));
        MimeMessage bobMail = awaitMail("bob@example.org", "Reminder: ", Duration.ofSeconds(60));
        assertEquals("Reminder: Ann's <dentist> & co", annMail.getSubject());
        assertTrue(String.valueOf(annMail.getContent()).contains("Ann&#39;s &lt;dentist&gt; &amp; co"),
                "the title is escaped in the HTML body: " + annMail.getContent());
        assertEquals("Reminder: Bob's tax return", bobMail.getSubject());
        awaitInApp(cid, Duration.ofSeconds(60));
        awaitInApp(eve, Duration.ofSeconds(60));
        Thread.sleep(5000); // a second copy or a stray reminder would have arrived by now

        List<String[]> reminders = calls.stream().filter(c -> c[1].contains("\"type\":\"reminder\"")).toList();
        assertEquals(1, reminders.size(), "one webhook call, eve's only: " + reminders.stream().map(c -> c[1]).toList());
        String[] call = reminders.get(0);
        assertEquals("/eve", call[0]);
        assertEquals("Eve's meeting", JSON.readTree(call[1]).path("title").asText());
        long t = Long.parseLong(call[2].replaceAll("t=(\\d+),.*", "$1"));
        assertEquals("t=" + t + ",v1=" + hmacSha256(eveSecret, t + "." + call[1]), call[2],
                "signed with eve's secret, by the recipe in docs/api.md");
        assertEquals(List.of(), subjects("eve@example.org", ""), "eve set no address");

        assertEquals(List.of("Reminder: Ann's <dentist> & co"), subjects("ann@example.org", "Reminder: "));
        assertEquals(List.of("Reminder: Bob's tax return"), subjects("bob@example.org", "Reminder: "));
        assertEquals(List.of(), subjects("cid@example.org", "Reminder: "), "unverified: nothing but its code");
        assertEquals(1, subjects("cid@example.org", "Confirm").size());
    }

    @Test
    void whileTheMailServerIsDownTheInAppNotificationComesAndTheEmailFollowsOnceItIsBack() throws Exception {
        String dan = DevToken.sign("dan-" + UUID.randomUUID(), SECRET, Duration.ofHours(1));
        verify(dan, "dan@example.org");
        int port = smtp.getSmtp().getPort();
        smtp.stop();
        try {
            Instant at = Instant.now().plusSeconds(4).truncatedTo(ChronoUnit.SECONDS);
            HttpResponse<String> created = api(dan, "POST", "/api/v1/tasks", JSON.writeValueAsString(Map.of(
                    "title", "Dan's train", "reminders", List.of(Map.of("at", at.toString())))));
            assertEquals(201, created.statusCode(), created.body());
            awaitInApp(dan, Duration.ofSeconds(60));
            Thread.sleep(2000); // daprd redelivers the event meanwhile: each delivery finds the server down
        } finally {
            smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
            smtp.setUser("todo-mailer", "smtp-password-not-in-any-yaml");
            smtp.start();
        }
        assertEquals("Reminder: Dan's train", awaitMail("dan@example.org", "Reminder: ", Duration.ofSeconds(120))
                .getSubject());
        Thread.sleep(5000);
        assertEquals(1, subjects("dan@example.org", "Reminder: ").size(), "once");
        assertEquals(1, JSON.readTree(api(dan, "GET", "/api/v1/notifications", null).body()).path("items").size());
    }

    private static String hmacSha256(String secret, String message) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return java.util.HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
    }

    /** PUT the address, read the code daprd mailed, give it back. */
    private static void verify(String token, String address) throws Exception {
        HttpResponse<String> put = api(token, "PUT", SETTINGS, "{\"email\": \"" + address + "\"}");
        assertEquals(200, put.statusCode(), put.body());
        HttpResponse<String> verified = api(token, "POST", SETTINGS + "/email/verify",
                "{\"code\": \"" + code(address) + "\"}");
        assertEquals(200, verified.statusCode(), verified.body());
        assertTrue(JSON.readTree(verified.body()).at("/email/verified").asBoolean(), verified.body());
    }

    private static String code(String address) throws Exception {
        MimeMessage mail = awaitMail(address, "Confirm", Duration.ofSeconds(30));
        Matcher code = Pattern.compile("<strong>([0-9]{6})</strong>").matcher(String.valueOf(mail.getContent()));
        assertTrue(code.find(), String.valueOf(mail.getContent()));
        return code.group(1);
    }

    private static MimeMessage awaitMail(String to, String subjectPrefix, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            for (MimeMessage m : to(to)) {
                if (m.getSubject().startsWith(subjectPrefix)) {
                    return m;
                }
            }
            Thread.sleep(200);
        }
        return fail("no mail '" + subjectPrefix + "…' to " + to + " within " + within + "; reminder-due's log:\n"
                + cluster.app("reminder-due").jar().tail(20));
    }

    private static List<String> subjects(String to, String subjectPrefix) throws Exception {
        List<String> subjects = new ArrayList<>();
        for (MimeMessage m : to(to)) {
            if (m.getSubject().startsWith(subjectPrefix)) {
                subjects.add(m.getSubject());
            }
        }
        return subjects;
    }

    private static List<MimeMessage> to(String address) throws Exception {
        List<MimeMessage> found = new ArrayList<>();
        for (MimeMessage m : smtp.getReceivedMessages()) {
            if (Arrays.stream(m.getRecipients(Message.RecipientType.TO)).anyMatch(a -> a.toString().equals(address))) {
                found.add(m);
            }
        }
        return found;
    }

    private static void awaitInApp(String token, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode list = JSON.readTree(api(token, "GET", "/api/v1/notifications", null).body());
            if (list.path("items").size() == 1) {
                return;
            }
            Thread.sleep(200);
        }
        fail("the unverified user's in-app notification did not come within " + within);
    }

    private static HttpResponse<String> api(String token, String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(cluster.app("task-api").url(path)))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(15))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
