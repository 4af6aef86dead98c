package com.todo.taskapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import com.todo.function.EmailSender;
import com.todo.function.Webhooks;
import io.micronaut.context.annotation.Requires;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GET/PUT /api/v1/me/notification-settings and the email's verification, with the emails the API sent recorded. */
@MicronautTest(transactional = false)
class NotificationSettingsApiTest extends ApiTest {

    private static final String PATH = "/api/v1/me/notification-settings";

    @Inject
    RecordingEmail mail;

    @Override
    Map<String, String> extraProperties() {
        // the receivers here are on loopback, which a server refuses by default
        return Map.of("test.email", "recording", "todo.webhooks.allow-private-addresses", "true");
    }

    @Test
    void aNewUserHasInAppOnly() {
        JsonNode settings = expect(200, send("GET", PATH, null, token("fresh")));
        assertTrue(settings.get("inApp").asBoolean());
        assertTrue(settings.get("email").isNull());
        assertTrue(settings.get("quietHours").isNull());
    }

    @Test
    void anAddressIsUnverifiedUntilTheCodeSentToItIsGiven() {
        JsonNode put = expect(200, send("PUT", PATH, """
                {"email": "ann@example.org", "quietHours": {"start": "22:00", "end": "07:00",
                 "timeZone": "Europe/Berlin"}}""", token("ann")));
        assertEquals("ann@example.org", put.get("email").get("address").asText());
        assertFalse(put.get("email").get("verified").asBoolean());
        assertTrue(put.get("email").get("codeExpiresAt").isTextual());
        assertEquals("22:00", put.get("quietHours").get("start").asText());
        String code = lastCode("ann@example.org");

        String wrong = code.equals("000000") ? "000001" : "000000";
        JsonNode problem = expect(422, send("POST", PATH + "/email/verify", "{\"code\": \"" + wrong + "\"}",
                token("ann")));
        assertTrue(problem.get("errors").get(0).get("message").asText().contains("4 tries left"), problem.toString());
        expect(422, send("POST", PATH + "/email/verify", "{\"code\": \"" + code + "\"}", token("bob")));

        JsonNode verified = expect(200, send("POST", PATH + "/email/verify", "{\"code\": \"" + code + "\"}",
                token("ann")));
        assertTrue(verified.get("email").get("verified").asBoolean());
        assertTrue(verified.get("email").get("codeExpiresAt").isNull());
        assertEquals(verified, expect(200, send("GET", PATH, null, token("ann"))));

        // the same address again keeps it verified and sends nothing; a new one starts over
        int sent = mail.sent.size();
        expect(200, send("PUT", PATH, "{\"email\": \"ann@example.org\"}", token("ann")));
        assertEquals(sent, mail.sent.size());
        JsonNode moved = expect(200, send("PUT", PATH, "{\"email\": \"ann@work.example\"}", token("ann")));
        assertFalse(moved.get("email").get("verified").asBoolean());
        assertTrue(moved.get("quietHours").isNull(), "PUT replaces: quiet hours left out are cleared");
        assertEquals("ann@work.example", mail.sent.get(mail.sent.size() - 1).to());
    }

    @Test
    void aCodeTriedFiveTimesWronglyIsSpentAndAnImmediateRepeatSendsNoSecondCode() {
        expect(200, send("PUT", PATH, "{\"email\": \"cid@example.org\"}", token("cid")));
        String code = lastCode("cid@example.org");
        expect(200, send("PUT", PATH, "{\"email\": \"cid@example.org\"}", token("cid")));
        assertEquals(1, mail.sent.stream().filter(m -> m.to().equals("cid@example.org")).count(),
                "asked again within a minute: the first code stands");
        String wrong = code.equals("999999") ? "999998" : "999999";
        for (int i = 0; i < 5; i++) {
            expect(422, send("POST", PATH + "/email/verify", "{\"code\": \"" + wrong + "\"}", token("cid")));
        }
        JsonNode spent = expect(422, send("POST", PATH + "/email/verify", "{\"code\": \"" + code + "\"}",
                token("cid")));
        assertTrue(spent.get("errors").get(0).get("message").asText().contains("no code is pending"), spent.toString());
        assertFalse(expect(200, send("GET", PATH, null, token("cid"))).get("email").get("verified").asBoolean());
    }

    @Test
    void badSettingsAreRefusedAndChangeNothing() {
        expect(200, send("PUT", PATH, "{\"quietHours\": {\"start\": \"23:00\", \"end\": \"06:30\", "
                + "\"timeZone\": \"UTC\"}}", token("dan")));
        JsonNode before = expect(200, send("GET", PATH, null, token("dan")));
        int sent = mail.sent.size();
        for (String body : List.of("{\"email\": \"not an address\"}", "{\"email\": \"a@b.org;c@d.org\"}",
                "{\"email\": \"Ann <ann@example.org>\"}", "{\"inApp\": false}", "{\"sms\": \"+1\"}",
                "{\"quietHours\": {\"start\": \"25:00\", \"end\": \"07:00\", \"timeZone\": \"UTC\"}}",
                "{\"quietHours\": {\"start\": \"22:00\", \"end\": \"22:00\", \"timeZone\": \"UTC\"}}",
                "{\"quietHours\": {\"start\": \"22:00\", \"end\": \"07:00\", \"timeZone\": \"Mars/Base\"}}",
                "{\"quietHours\": {\"start\": \"22:00\", \"end\": \"07:00\"}}")) {
            expect(422, send("PUT", PATH, body, token("dan")));
        }
        for (String body : List.of("{\"email\": 42}", "{\"quietHours\": \"nights\"}", "{\"inApp\": \"yes\"}", "[]")) {
            expect(400, send("PUT", PATH, body, token("dan")));
        }
        expect(422, send("POST", PATH + "/email/verify", "{\"code\": \"12345\"}", token("dan")));
        expect(400, send("POST", PATH + "/email/verify", "{\"code\": 123456}", token("dan")));
        expect(401, send("GET", PATH, null, null));
        expect(401, send("PUT", PATH, "{}", null));
        assertEquals(before, expect(200, send("GET", PATH, null, token("dan"))));
        assertEquals(sent, mail.sent.size());
    }

    @Test
    void whenTheCodeCannotBeSentTheAddressIsNotChanged() {
        mail.failing = true;
        try {
            JsonNode problem = expect(503, send("PUT", PATH, "{\"email\": \"eve@example.org\"}", token("eve")));
            assertFalse(problem.toString().contains("eve@example.org"), problem.toString());
        } finally {
            mail.failing = false;
        }
        assertTrue(expect(200, send("GET", PATH, null, token("eve"))).get("email").isNull());
    }

    @Test
    void withoutAnEmailBindingNoAddressCanBeSet() {
        // the same controller without a sender: as a server whose TODO_EMAIL_BINDING is unset
        var controller = new NotificationSettingsController(
                server.getApplicationContext().getBean(com.todo.domain.NotificationSettingsService.class), null,
                new Webhooks(false));
        UnprocessableRequestException refused = org.junit.jupiter.api.Assertions.assertThrows(
                UnprocessableRequestException.class, () -> controller.put("{\"email\": \"fay@example.org\"}".getBytes(),
                        io.micronaut.security.authentication.Authentication.build("fay")));
        assertEquals("email", refused.field());
    }

    @Test
    void aWebhookIsKeptOnlyOnceItAnswersItsSignedChallengeAndItsSecretIsShownOnce() throws Exception {
        List<String[]> seen = new CopyOnWriteArrayList<>();
        HttpServer receiver = receiver(seen, true);
        try {
            String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks/todo";
            JsonNode put = expect(200, send("PUT", PATH, "{\"webhook\": \"" + url + "\"}", token("gil")));
            assertEquals(url, put.get("webhook").get("url").asText());
            assertTrue(put.get("webhook").get("verified").asBoolean());
            String secret = put.get("webhook").get("secret").asText();
            assertEquals(1, seen.size(), "one challenge");
            String[] challenge = seen.get(0);
            String t = challenge[1].replaceAll("t=(\\d+),.*", "$1");
            assertEquals(Webhooks.signature(secret, Long.parseLong(t), challenge[0].getBytes(StandardCharsets.UTF_8)),
                    challenge[1], "signed with the secret shown");
            JsonNode get = expect(200, send("GET", PATH, null, token("gil")));
            assertTrue(get.get("webhook").get("secret").isNull(), "never shown again: " + get);
            expect(200, send("PUT", PATH, "{\"webhook\": \"" + url + "\"}", token("gil")));
            assertEquals(1, seen.size(), "the same URL is not challenged again");
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    void aWebhookThatDoesNotAnswerItsChallengeIsRefusedAndChangesNothing() throws Exception {
        List<String[]> seen = new CopyOnWriteArrayList<>();
        HttpServer wrong = receiver(seen, false);
        try {
            String url = "http://127.0.0.1:" + wrong.getAddress().getPort() + "/hook";
            JsonNode problem = expect(422, send("PUT", PATH, "{\"webhook\": \"" + url + "\"}", token("hal")));
            assertEquals("webhook", problem.get("errors").get(0).get("field").asText());
            assertEquals(1, seen.size());
        } finally {
            wrong.stop(0);
        }
        expect(422, send("PUT", PATH, "{\"webhook\": \"http://127.0.0.1:9/closed\"}", token("hal")));
        expect(422, send("PUT", PATH, "{\"webhook\": \"ftp://example.org/hook\"}", token("hal")));
        expect(400, send("PUT", PATH, "{\"webhook\": 7}", token("hal")));
        assertTrue(expect(200, send("GET", PATH, null, token("hal"))).get("webhook").isNull());
    }

    /** A loopback receiver that records (body, signature) and echoes the challenge, or answers without it. */
    private static HttpServer receiver(List<String[]> seen, boolean echo) throws java.io.IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            seen.add(new String[]{body, exchange.getRequestHeaders().getFirst(Webhooks.SIGNATURE)});
            byte[] answer = (echo ? "{\"challenge\":\"" + JSON.readTree(body).get("challenge").asText() + "\"}"
                    : "{\"ok\":true}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        return server;
    }

    private String lastCode(String to) {
        List<RecordingEmail.Mail> toAddress = mail.sent.stream().filter(m -> m.to().equals(to)).toList();
        assertFalse(toAddress.isEmpty(), "a code was sent to " + to);
        Matcher code = Pattern.compile("<strong>([0-9]{6})</strong>").matcher(toAddress.get(toAddress.size() - 1).html());
        assertTrue(code.find());
        assertNotEquals("", code.group(1));
        return code.group(1);
    }

    /** The emails the API sends, recorded instead of going through a binding. */
    @Singleton
    @Requires(property = "test.email", value = "recording")
    static class RecordingEmail implements EmailSender {
        record Mail(String to, String subject, String html) {
        }

        final List<Mail> sent = new CopyOnWriteArrayList<>();
        volatile boolean failing;

        @Override
        public void send(String to, String subject, String html) {
            if (failing) {
                throw new IllegalStateException("the binding is down");
            }
            sent.add(new Mail(to, subject, html));
        }
    }
}
