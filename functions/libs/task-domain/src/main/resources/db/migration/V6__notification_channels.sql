-- Where a user's reminders go besides the in-app list (docs/api.md, Notification channels). An email address is
-- used only once verified; the confirmation code is kept as its SHA-256, never as sent. A webhook URL is verified by
-- the challenge it answered when it was set; its secret signs every call (HMAC-SHA256), so it is kept as it is.
CREATE TABLE notification_settings (
    user_id               text        PRIMARY KEY,
    email                 text,
    email_verified_at     timestamptz,
    email_code_sha256     text,
    email_code_expires_at timestamptz,
    email_code_attempts   int         NOT NULL DEFAULT 0,
    webhook_url           text,
    webhook_secret        text,
    webhook_verified_at   timestamptz,
    quiet_start           time,
    quiet_end             time,
    quiet_time_zone       text,
    updated_at            timestamptz NOT NULL,
    CHECK ((quiet_start IS NULL) = (quiet_end IS NULL) AND (quiet_start IS NULL) = (quiet_time_zone IS NULL)),
    CHECK (email_verified_at IS NULL OR email IS NOT NULL),
    CHECK ((webhook_url IS NULL) = (webhook_secret IS NULL) AND (webhook_url IS NULL) = (webhook_verified_at IS NULL))
);

-- One row per notification and channel beyond in-app: recorded with the notification, delivered after its commit,
-- so a channel that fails never holds back the in-app notification; retried until delivered (not before quiet
-- hours end).
CREATE TABLE notification_deliveries (
    notification_id uuid        NOT NULL,
    channel         text        NOT NULL,
    address         text,
    not_before      timestamptz NOT NULL,
    attempts        int         NOT NULL DEFAULT 0,
    last_error      text,
    delivered_at    timestamptz,
    PRIMARY KEY (notification_id, channel)
);
CREATE INDEX notification_deliveries_pending ON notification_deliveries (not_before) WHERE delivered_at IS NULL;
-- Retention (docs/operations.md) deletes delivered rows by this column.
CREATE INDEX notification_deliveries_delivered ON notification_deliveries (delivered_at) WHERE delivered_at IS NOT NULL;
