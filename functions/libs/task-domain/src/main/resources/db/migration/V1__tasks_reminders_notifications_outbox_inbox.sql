-- The one schema of todo-functions (architecture D7). Applied by the migrate command in the cluster,
-- at startup in local mode.

CREATE TABLE tasks (
    id              uuid PRIMARY KEY,
    user_id         text         NOT NULL,
    title           varchar(200) NOT NULL,
    description     varchar(1000),
    status          text         NOT NULL CHECK (status IN ('pending', 'in_progress', 'completed')),
    priority        text         NOT NULL CHECK (priority IN ('high', 'medium', 'low')),
    tags            text[]       NOT NULL DEFAULT '{}',
    due_at          timestamptz,
    time_zone       text         NOT NULL,
    recurrence_rule text,
    series_start    timestamptz,
    series_id       uuid,
    version         bigint       NOT NULL CHECK (version >= 1),
    created_at      timestamptz  NOT NULL,
    updated_at      timestamptz  NOT NULL,
    completed_at    timestamptz,
    CHECK ((recurrence_rule IS NULL) = (series_start IS NULL))
);
CREATE INDEX tasks_user_created ON tasks (user_id, created_at, id);
CREATE INDEX tasks_user_due ON tasks (user_id, due_at);
CREATE INDEX tasks_tags ON tasks USING gin (tags);

-- Exactly one of before_offset (ISO-8601 duration before due_at) and at; remind_at is resolved on write.
CREATE TABLE reminders (
    id            uuid PRIMARY KEY,
    task_id       uuid        NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    position      int         NOT NULL,
    before_offset text,
    at            timestamptz,
    remind_at     timestamptz NOT NULL,
    CHECK ((before_offset IS NULL) <> (at IS NULL))
);
CREATE INDEX reminders_task ON reminders (task_id, position);
CREATE INDEX reminders_remind_at ON reminders (remind_at);

-- In-app notifications outlive their task (no foreign key); one per reminder firing.
CREATE TABLE notifications (
    id          uuid PRIMARY KEY,
    user_id     text         NOT NULL,
    task_id     uuid         NOT NULL,
    reminder_id uuid         NOT NULL,
    title       varchar(200) NOT NULL,
    remind_at   timestamptz  NOT NULL,
    created_at  timestamptz  NOT NULL,
    read_at     timestamptz,
    UNIQUE (reminder_id, remind_at)
);
CREATE INDEX notifications_user ON notifications (user_id, created_at DESC);

-- Transactional outbox (D2): payload is the complete structured CloudEvent; seq orders a task's events.
CREATE TABLE outbox (
    seq             bigserial PRIMARY KEY,
    event_id        text        NOT NULL UNIQUE,
    aggregate_id    text        NOT NULL,
    topic           text        NOT NULL,
    type            text        NOT NULL,
    payload         text        NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    published_at    timestamptz,
    attempts        int         NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error      text
);
CREATE INDEX outbox_pending ON outbox (aggregate_id, seq) WHERE published_at IS NULL;

-- Consumer inbox (D5): a handled event id, recorded in the same transaction as its effect.
CREATE TABLE inbox (
    consumer     text        NOT NULL,
    event_id     text        NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);
