package com.todo.domain;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.function.BiConsumer;

/**
 * A user's notification channels. An email address is verified by a 6-digit code sent to it: valid for
 * {@link #CODE_LIFETIME} and {@link #MAX_CODE_ATTEMPTS} tries, kept only as its SHA-256, at most one per
 * {@link #RESEND_AFTER}. Until verified, nothing but the code is sent there.
 */
@Singleton
public class NotificationSettingsService {

    public static final Duration CODE_LIFETIME = Duration.ofMinutes(15);
    public static final int MAX_CODE_ATTEMPTS = 5;
    /** The same address asked for again sooner than this gets no new code. */
    public static final Duration RESEND_AFTER = Duration.ofMinutes(1);

    private final NotificationSettingsRepository settings;
    private final SecureRandom random = new SecureRandom();

    public NotificationSettingsService(NotificationSettingsRepository settings) {
        this.settings = settings;
    }

    /** What a verification attempt found. */
    public enum Verification { VERIFIED, ALREADY_VERIFIED, WRONG_CODE, NO_CODE }

    public record Verified(Verification outcome, NotificationSettingsRow settings) {
    }

    /** A webhook that answered its challenge: the URL and the secret that signs its calls. */
    public record Webhook(String url, String secret, Instant verifiedAt) {
    }

    @Transactional(readOnly = true)
    public NotificationSettingsRow find(String userId) {
        return settings.findById(userId).orElseGet(() -> NotificationSettingsRow.blank(userId, Instant.EPOCH));
    }

    /**
     * Replaces the user's settings. A new address, or the same one not yet verified, gets a new code through
     * {@code sendCode} (address, code) inside the transaction: if sending fails, nothing changed. The webhook, if
     * any, has answered its challenge already.
     */
    @Transactional
    public NotificationSettingsRow replace(String userId, @Nullable String email, @Nullable Webhook webhook,
                                           @Nullable QuietHours quiet, BiConsumer<String, String> sendCode) {
        NotificationSettingsRow current = locked(userId);
        Instant now = now();
        NotificationSettingsRow next;
        if (email == null) {
            next = current.withEmail(null, null, null, null, 0);
        } else if (email.equals(current.email()) && current.emailVerifiedAt() != null) {
            next = current.withEmail(email, current.emailVerifiedAt(), null, null, 0);
        } else if (email.equals(current.email()) && current.emailCodeExpiresAt() != null
                && now.isBefore(current.emailCodeExpiresAt().minus(CODE_LIFETIME).plus(RESEND_AFTER))) {
            // asked again at once: the code just sent stands, so that repeating the request cannot flood an inbox
            next = current;
        } else {
            String code = String.format("%06d", random.nextInt(1_000_000));
            next = current.withEmail(email, null, sha256(code), now.plus(CODE_LIFETIME), 0);
            sendCode.accept(email, code);
        }
        next = webhook == null ? next.withWebhook(null, null, null)
                : next.withWebhook(webhook.url(), webhook.secret(), webhook.verifiedAt());
        return settings.update(next.withQuietHours(quiet).updatedAt(now));
    }

    /** Checks a code; a wrong one counts against the code's tries (committed, whatever the caller answers). */
    @Transactional
    public Verified verify(String userId, String code) {
        NotificationSettingsRow current = locked(userId);
        Instant now = now();
        if (current.emailVerified()) {
            return new Verified(Verification.ALREADY_VERIFIED, current);
        }
        if (current.emailCodeSha256() == null || current.emailCodeExpiresAt() == null
                || !now.isBefore(current.emailCodeExpiresAt()) || current.emailCodeAttempts() >= MAX_CODE_ATTEMPTS) {
            return new Verified(Verification.NO_CODE, current);
        }
        boolean match = MessageDigest.isEqual(current.emailCodeSha256().getBytes(StandardCharsets.US_ASCII),
                sha256(code).getBytes(StandardCharsets.US_ASCII));
        NotificationSettingsRow next = match
                ? current.withEmail(current.email(), now, null, null, 0).updatedAt(now)
                : current.withEmail(current.email(), null, current.emailCodeSha256(), current.emailCodeExpiresAt(),
                        current.emailCodeAttempts() + 1);
        return new Verified(match ? Verification.VERIFIED : Verification.WRONG_CODE, settings.update(next));
    }

    private NotificationSettingsRow locked(String userId) {
        settings.insertDefault(userId, now());
        return settings.findForUpdate(userId).orElseThrow();
    }

    static String sha256(String code) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(code.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }
}
