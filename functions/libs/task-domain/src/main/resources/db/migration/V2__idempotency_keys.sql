-- A client's Idempotency-Key on a create or a completion (task-api): the first successful answer, written in the
-- transaction of the change it answers, so that a retry whose answer was lost gets it back instead of a second
-- change. A key is the user's own; after the window (todo.idempotency.window) it may be used again, and
-- IdempotencyKeys.deleteExpired removes it.
CREATE TABLE idempotency_keys (
    user_id     text        NOT NULL,
    key         text        NOT NULL,
    -- SHA-256 of the method, the route and the request's JSON: the same key with another request is refused
    fingerprint text        NOT NULL,
    -- the answer's body (its status follows from the route: 201 for a create, 200 for a completion)
    body        text,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
