-- The dead-letter inbox (docs/operations.md): each event that a dead-letter topic delivered, once per event id.
-- The gateway forwards every *-dlq topic to task-api, which records it here; an operator lists, replays or deletes
-- through the admin API.
CREATE TABLE dead_letters (
    event_id    text        PRIMARY KEY,
    -- the topic the event was dead-lettered from (the dead-letter topic without "-dlq"), where a replay publishes it
    topic       text        NOT NULL,
    type        text        NOT NULL,
    subject     text,
    -- the complete CloudEvent, structured JSON, without the envelope fields daprd adds on delivery
    event       text        NOT NULL,
    -- why it was dropped, when the gateway saw the function's answer; null when daprd dead-lettered it on its own
    reason      text,
    first_seen  timestamptz NOT NULL,
    last_seen   timestamptz NOT NULL,
    -- how many times a dead-letter topic delivered it: more than 1 when a replay failed again
    deliveries  int         NOT NULL,
    replays     int         NOT NULL DEFAULT 0,
    replayed_at timestamptz
);
CREATE INDEX dead_letters_last_seen ON dead_letters (last_seen DESC, event_id);
