package com.todo.domain;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;
import java.time.LocalTime;

/** A row of {@code notification_settings}: a user's channels beyond in-app, and quiet hours. */
@MappedEntity("notification_settings")
public record NotificationSettingsRow(
        @Id String userId,
        @Nullable String email,
        @Nullable Instant emailVerifiedAt,
        @Nullable String emailCodeSha256,
        @Nullable Instant emailCodeExpiresAt,
        int emailCodeAttempts,
        @Nullable String webhookUrl,
        @Nullable String webhookSecret,
        @Nullable Instant webhookVerifiedAt,
        @Nullable LocalTime quietStart,
        @Nullable LocalTime quietEnd,
        @Nullable String quietTimeZone,
        Instant updatedAt) {

    /** A user who set nothing: in-app only. */
    static NotificationSettingsRow blank(String userId, Instant at) {
        return new NotificationSettingsRow(userId, null, null, null, null, 0, null, null, null, null, null, null, at);
    }

    /** The address reminders may be sent to: set and verified. */
    public boolean emailVerified() {
        return email != null && emailVerifiedAt != null;
    }

    /** A webhook is stored only once it answered its challenge. */
    public boolean webhookVerified() {
        return webhookUrl != null && webhookVerifiedAt != null;
    }

    public @Nullable QuietHours quietHours() {
        return quietStart == null ? null : new QuietHours(quietStart, quietEnd, quietTimeZone);
    }

    NotificationSettingsRow withEmail(@Nullable String address, @Nullable Instant verifiedAt, @Nullable String codeSha256,
                                      @Nullable Instant codeExpiresAt, int codeAttempts) {
        return new NotificationSettingsRow(userId, address, verifiedAt, codeSha256, codeExpiresAt, codeAttempts,
                webhookUrl, webhookSecret, webhookVerifiedAt, quietStart, quietEnd, quietTimeZone, updatedAt);
    }

    NotificationSettingsRow withWebhook(@Nullable String url, @Nullable String secret, @Nullable Instant verifiedAt) {
        return new NotificationSettingsRow(userId, email, emailVerifiedAt, emailCodeSha256, emailCodeExpiresAt,
                emailCodeAttempts, url, secret, verifiedAt, quietStart, quietEnd, quietTimeZone, updatedAt);
    }

    NotificationSettingsRow withQuietHours(@Nullable QuietHours quiet) {
        return new NotificationSettingsRow(userId, email, emailVerifiedAt, emailCodeSha256, emailCodeExpiresAt,
                emailCodeAttempts, webhookUrl, webhookSecret, webhookVerifiedAt, quiet == null ? null : quiet.start(),
                quiet == null ? null : quiet.end(), quiet == null ? null : quiet.timeZone(), updatedAt);
    }

    NotificationSettingsRow updatedAt(Instant at) {
        return new NotificationSettingsRow(userId, email, emailVerifiedAt, emailCodeSha256, emailCodeExpiresAt,
                emailCodeAttempts, webhookUrl, webhookSecret, webhookVerifiedAt, quietStart, quietEnd, quietTimeZone, at);
    }
}
