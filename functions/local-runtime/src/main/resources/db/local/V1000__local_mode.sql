-- Local mode only (architecture D8): what daprd provides in the cluster, durable in the same PostgreSQL.
-- Applied by local mode alone, never by the migrate command.

-- pub/sub: messages waiting for delivery to their subscription route, in order per partition key
CREATE TABLE local_messages (
    seq             bigserial PRIMARY KEY,
    event_id        text        NOT NULL,
    topic           text        NOT NULL,
    partition_key   text        NOT NULL,
    type            text        NOT NULL,
    event           text        NOT NULL,
    attempts        int         NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error      text,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX local_messages_head ON local_messages (partition_key, seq);

-- the dead-letter record: dropped, unroutable or exhausted messages, with the reason
CREATE TABLE local_dead_letters (
    seq        bigserial PRIMARY KEY,
    event_id   text        NOT NULL,
    topic      text        NOT NULL,
    type       text        NOT NULL,
    event      text        NOT NULL,
    reason     text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- jobs: one-shot (schedule null) or recurring (@every …), fired at due_at by calling POST /job/{name}
CREATE TABLE local_jobs (
    name     text PRIMARY KEY,
    due_at   timestamptz NOT NULL,
    schedule text,
    data     bytea       NOT NULL
);
CREATE INDEX local_jobs_due ON local_jobs (due_at);

-- the state store: first-write and ETag semantics
CREATE TABLE local_state (
    key   text PRIMARY KEY,
    value bytea NOT NULL,
    etag  text  NOT NULL
);
