-- Attachments of notices, the live event log behind the SSE stream, deputies' own quiet hours,
-- and the SMS outbox (escalation of urgent and unanswered meeting notices).
CREATE TABLE notice_attachments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    notice_id BIGINT NOT NULL REFERENCES notices(id),
    file_name TEXT NOT NULL,
    -- sniffed from the content, not taken from the name
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    -- where the bytes live in the object store
    storage_key TEXT NOT NULL,
    uploaded_by BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX notice_attachments_notice ON notice_attachments (notice_id, id);

-- One row per thing that happened (a notice published to an audience: one row, not one per
-- deputy); a reconnecting stream asks for the rows after its Last-Event-ID.
CREATE TABLE live_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    -- set when the event is for one deputy
    deputy_id BIGINT,
    -- set when the event is for a notice's audience (its inbox rows)
    notice_id BIGINT,
    kind TEXT NOT NULL,
    data TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX live_events_deputy ON live_events (deputy_id, id);

CREATE TABLE push_settings (
    deputy_id BIGINT PRIMARY KEY REFERENCES deputies(id),
    -- both NULL: no quiet hours at all
    quiet_from TEXT,
    quiet_to TEXT,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE sms_outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    deputy_id BIGINT NOT NULL,
    notice_id BIGINT,
    phone TEXT NOT NULL,
    body TEXT NOT NULL,
    -- the same for every attempt: the SMS provider drops repeats by it
    dedup_id TEXT NOT NULL UNIQUE,
    -- pending, sent or dead
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    next_at TIMESTAMP NOT NULL,
    lease_until TIMESTAMP,
    last_error TEXT,
    sent_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX sms_outbox_due ON sms_outbox (status, next_at);

ALTER TABLE notices ADD COLUMN escalated_at TIMESTAMP;
