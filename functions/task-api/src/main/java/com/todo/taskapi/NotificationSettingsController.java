package com.todo.taskapi;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.todo.domain.FieldError;
import com.todo.domain.NotificationSettingsRow;
import com.todo.domain.NotificationSettingsService;
import com.todo.domain.QuietHours;
import com.todo.events.EventJson;
import com.todo.function.EmailSender;
import com.todo.function.Webhooks;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Hidden;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where the caller's reminders go besides the in-app list: an email address, used once verified by the code sent to
 * it; a webhook URL, stored only once it answered a challenge, whose calls are signed with a secret shown once; and
 * optional quiet hours in the caller's time zone during which nothing but in-app is delivered.
 */
@Controller("/api/v1/me/notification-settings")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
@Hidden // the contract is src/main/openapi/task-api.yml (OpenApiContractTest)
public class NotificationSettingsController {

    private static final Logger LOG = LoggerFactory.getLogger(NotificationSettingsController.class);
    /** The WHATWG (HTML) form of an email address: one address, no display name, no ';' or ',' that would list more. */
    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9]"
            + "(?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+");
    static final int MAX_EMAIL = 254;
    private static final Pattern CODE = Pattern.compile("[0-9]{6}");
    private static final DateTimeFormatter HOUR_MINUTE = DateTimeFormatter.ofPattern("HH:mm");
    private static final Set<String> FIELDS = Set.of("inApp", "email", "webhook", "quietHours");
    private static final Set<String> QUIET_FIELDS = Set.of("start", "end", "timeZone");

    private final NotificationSettingsService settings;
    private final Optional<EmailSender> email;
    private final Webhooks webhooks;

    public NotificationSettingsController(NotificationSettingsService settings, @Nullable EmailSender email,
                                          Webhooks webhooks) {
        this.settings = settings;
        this.email = Optional.ofNullable(email);
        this.webhooks = webhooks;
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Email(String address, boolean verified, @Nullable Instant codeExpiresAt) {
    }

    @Serdeable
    public record Quiet(String start, String end, String timeZone) {
    }

    /** {@code secret} only in the answer that set the URL: it signs every call, and is never shown again. */
    @Serdeable
    public record Webhook(String url, boolean verified, @Nullable String secret) {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Settings(boolean inApp, @Nullable Email email, @Nullable Webhook webhook,
                           @Nullable Quiet quietHours) {
        static Settings of(NotificationSettingsRow row) {
            return of(row, null);
        }

        static Settings of(NotificationSettingsRow row, @Nullable String newSecret) {
            QuietHours quiet = row.quietHours();
            return new Settings(true, row.email() == null ? null : new Email(row.email(), row.emailVerified(),
                    row.emailVerified() ? null : row.emailCodeExpiresAt()),
                    row.webhookUrl() == null ? null : new Webhook(row.webhookUrl(), row.webhookVerified(), newSecret),
                    quiet == null ? null : new Quiet(HOUR_MINUTE.format(quiet.start()), HOUR_MINUTE.format(quiet.end()),
                            quiet.timeZone()));
        }
    }

    @Get
    public Settings get(Authentication user) {
        return Settings.of(settings.find(user.getName()));
    }

    /** Replaces the settings; a field left out is cleared. A new address is sent a code and unverified until then. */
    @Put
    @Consumes(MediaType.APPLICATION_JSON)
    public Settings put(@Body byte[] body, Authentication user) {
        ObjectNode request = TaskJson.object(body);
        UnprocessableRequestException.onlyFields(request, "", FIELDS, "the settings are inApp, email, webhook and "
                + "quietHours");
        JsonNode inApp = request.get("inApp");
        if (inApp != null && !inApp.isBoolean()) {
            throw new BadRequestException("inApp must be a boolean", List.of(new FieldError("inApp", "not a boolean")));
        }
        if (inApp != null && !inApp.booleanValue()) {
            throw new UnprocessableRequestException("inApp", "in-app notifications are always on");
        }
        String address = email(request.get("email"));
        String url = webhookUrl(request.get("webhook"));
        QuietHours quiet = quietHours(request.get("quietHours"));
        NotificationSettingsRow current = settings.find(user.getName());
        NotificationSettingsService.Webhook webhook = null;
        String newSecret = null;
        if (url != null && url.equals(current.webhookUrl())) {
            webhook = new NotificationSettingsService.Webhook(url, current.webhookSecret(), current.webhookVerifiedAt());
        } else if (url != null) {
            newSecret = webhooks.newSecret();
            challenge(url, newSecret);
            webhook = new NotificationSettingsService.Webhook(url, newSecret, Instant.now().truncatedTo(ChronoUnit.MILLIS));
        }
        return Settings.of(settings.replace(user.getName(), address, webhook, quiet, this::sendCode), newSecret);
    }

    /**
     * The URL proves it takes our calls by answering, within the time limit and without a redirect, a signed
     * {@code {"type": "challenge", "challenge": "…"}} with 2xx {@code {"challenge": "…"}}, the same token.
     */
    private void challenge(String url, String secret) {
        String token = webhooks.newChallenge();
        byte[] body = ("{\"type\":\"challenge\",\"challenge\":\"" + token + "\"}").getBytes(StandardCharsets.UTF_8);
        String why;
        try {
            Webhooks.Answer answer = webhooks.post(url, secret, "challenge-" + token, body);
            if (answer.ok() && echoed(answer.body()).equals(token)) {
                return;
            }
            why = answer.ok() ? "answered without the challenge" : "answered " + answer.status();
        } catch (RuntimeException e) {
            why = "could not be reached";
            LOG.info("a webhook challenge failed: {}", e.toString());
        }
        throw new UnprocessableRequestException("webhook", "the URL " + why + ": it must answer the challenge "
                + "request with 2xx {\"challenge\": <the challenge it was sent>} (docs/api.md)");
    }

    private static String echoed(String answer) {
        try {
            return EventJson.MAPPER.readTree(answer).path("challenge").asText("");
        } catch (java.io.IOException | RuntimeException e) {
            return "";
        }
    }

    private @Nullable String webhookUrl(@Nullable JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new BadRequestException("webhook must be a string", List.of(new FieldError("webhook",
                    "not a string")));
        }
        webhooks.refusal(node.textValue()).ifPresent(why -> {
            throw new UnprocessableRequestException("webhook", "the URL " + why);
        });
        return node.textValue();
    }

    /** {@code {"code": "123456"}}: the code sent to the address; a wrong one counts against its tries. */
    @Post("/email/verify")
    @Consumes(MediaType.APPLICATION_JSON)
    public Settings verify(@Body byte[] body, Authentication user) {
        ObjectNode request = TaskJson.object(body);
        JsonNode code = request.get("code");
        if (code == null || request.size() != 1) {
            throw new UnprocessableRequestException("code", "the body is {\"code\": \"the 6 digits sent\"}");
        }
        if (!code.isTextual()) {
            throw new BadRequestException("code must be a string", List.of(new FieldError("code", "not a string")));
        }
        if (!CODE.matcher(code.textValue()).matches()) {
            throw new UnprocessableRequestException("code", "the code is the 6 digits sent to the address");
        }
        NotificationSettingsService.Verified result = settings.verify(user.getName(), code.textValue());
        return switch (result.outcome()) {
            case VERIFIED, ALREADY_VERIFIED -> Settings.of(result.settings());
            case WRONG_CODE -> throw new UnprocessableRequestException("code", "not the code sent; "
                    + (NotificationSettingsService.MAX_CODE_ATTEMPTS - result.settings().emailCodeAttempts())
                    + " tries left");
            case NO_CODE -> throw new UnprocessableRequestException("code", "no code is pending (none sent, expired or "
                    + "tried too often): PUT the address again for a new one");
        };
    }

    private @Nullable String email(@Nullable JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new BadRequestException("email must be a string", List.of(new FieldError("email", "not a string")));
        }
        String address = node.textValue();
        if (address.length() > MAX_EMAIL || !EMAIL.matcher(address).matches()) {
            throw new UnprocessableRequestException("email", "must be one email address such as ann@example.org, at "
                    + "most " + MAX_EMAIL + " characters");
        }
        if (email.isEmpty()) {
            throw new UnprocessableRequestException("email", "this server sends no email (no email binding is "
                    + "configured)");
        }
        return address;
    }

    private static @Nullable QuietHours quietHours(@Nullable JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw new BadRequestException("quietHours must be an object", List.of(new FieldError("quietHours",
                    "not an object")));
        }
        UnprocessableRequestException.onlyFields(node, "quietHours.", QUIET_FIELDS, "quiet hours are start, end and "
                + "timeZone");
        LocalTime start = time(node, "start");
        LocalTime end = time(node, "end");
        JsonNode zone = node.get("timeZone");
        if (zone == null || !zone.isTextual() || !ZoneId.getAvailableZoneIds().contains(zone.textValue())) {
            throw new UnprocessableRequestException("quietHours.timeZone", "must be an IANA time zone such as "
                    + "Europe/Berlin");
        }
        if (start.equals(end)) {
            throw new UnprocessableRequestException("quietHours.end", "must differ from start");
        }
        return new QuietHours(start, end, zone.textValue());
    }

    private static LocalTime time(JsonNode quiet, String field) {
        JsonNode value = quiet.get(field);
        if (value != null && value.isTextual() && value.textValue().length() == 5) {
            try {
                return LocalTime.parse(value.textValue(), HOUR_MINUTE);
            } catch (DateTimeParseException e) {
                // answered below
            }
        }
        throw new UnprocessableRequestException("quietHours." + field, "must be a time of day as HH:MM (00:00–23:59)");
    }

    private void sendCode(String address, String code) {
        try {
            email.orElseThrow().send(address, "Confirm your email address for reminders",
                    "<p>Your confirmation code: <strong>" + code + "</strong></p><p>It is valid for "
                            + NotificationSettingsService.CODE_LIFETIME.toMinutes() + " minutes. If you did not ask "
                            + "for it, ignore this email.</p>");
        } catch (RuntimeException e) {
            LOG.warn("the confirmation code was not sent, nothing was changed: {}", e.toString());
            throw new ConfirmationNotSent();
        }
    }

    /** The email binding did not take the code: nothing was changed, the client tries again later (503). */
    static class ConfirmationNotSent extends RuntimeException {
        ConfirmationNotSent() {
            super("The confirmation code could not be sent; nothing was changed. Try again shortly.");
        }
    }
}
