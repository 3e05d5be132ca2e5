-- The event feed for upper-level platforms (与上级平台对接): CloudEvents written in the same
-- transaction as the change they tell of (the transactional outbox), numbered afterwards by one
-- sequencer at a time into a gap-free sequence.
CREATE TABLE feed_events (
    id BIGSERIAL PRIMARY KEY,
    -- NULL until the sequencer numbers the row; readers see only numbered rows.
    seq BIGINT UNIQUE,
    type TEXT NOT NULL,
    subject TEXT NOT NULL,
    region_path TEXT NOT NULL,
    data TEXT NOT NULL,
    occurred_at TIMESTAMP NOT NULL
);
-- (The sequencer finds unnumbered rows through the index of `seq`, which holds NULLs too.)
-- The last number given (one row; locked while numbering).
CREATE TABLE feed_head (
    id INTEGER PRIMARY KEY,
    last_seq BIGINT NOT NULL
);
INSERT INTO feed_head (id, last_seq) VALUES (1, 0);
-- Webhook subscriptions of third-party clients, delivered in order from `cursor_seq` on.
CREATE TABLE feed_subscriptions (
    id BIGSERIAL PRIMARY KEY,
    client_id BIGINT NOT NULL REFERENCES accounts(id),
    url TEXT NOT NULL,
    types TEXT NOT NULL,
    region_id BIGINT NOT NULL REFERENCES regions(id),
    region_path TEXT NOT NULL,
    -- whsec_ secrets, sealed; the previous one signs too until `previous_until`.
    secret TEXT NOT NULL,
    previous_secret TEXT,
    previous_until TIMESTAMP,
    -- active | paused (a day of failures) | disabled (410, or by an admin)
    status TEXT NOT NULL,
    cursor_seq BIGINT NOT NULL,
    delivered BIGINT NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at TIMESTAMP NOT NULL,
    failing_since TIMESTAMP,
    last_error TEXT,
    leased_until TIMESTAMP,
    created_by BIGINT NOT NULL REFERENCES accounts(id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX feed_subscriptions_due ON feed_subscriptions (status, next_attempt_at);
-- A client's previous secret, still accepted until `valid_until` after a rotation.
CREATE TABLE client_secrets (
    account_id BIGINT PRIMARY KEY REFERENCES accounts(id),
    password_hash TEXT NOT NULL,
    valid_until TIMESTAMP NOT NULL
);
-- Whether a congress publishes its duty data (亮分 snapshots, deputies' yearly summaries).
CREATE TABLE open_data_settings (
    region_id BIGINT PRIMARY KEY REFERENCES regions(id),
    publish BOOLEAN NOT NULL,
    updated_by BIGINT NOT NULL REFERENCES accounts(id),
    updated_at TIMESTAMP NOT NULL
);
