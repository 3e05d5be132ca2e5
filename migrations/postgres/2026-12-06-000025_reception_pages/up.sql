-- Photos a constituent uploads before filing an opinion (EXIF removed before storing); attached
-- to the opinion when it is filed.
CREATE TABLE opinion_photos (
    id BIGSERIAL PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    opinion_id BIGINT REFERENCES opinions(id),
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    storage_key TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX opinion_photos_opinion ON opinion_photos (opinion_id);
CREATE INDEX opinion_photos_account ON opinion_photos (account_id, created_at);

-- Cases whose person who filed them turned their texts off.
CREATE TABLE opinion_text_optouts (
    opinion_id BIGINT PRIMARY KEY REFERENCES opinions(id),
    created_at TIMESTAMP NOT NULL
);

-- Whom a text goes to, for the daily cap of texts to one person ('' for the older kinds).
ALTER TABLE sms_outbox ADD COLUMN recipient TEXT NOT NULL DEFAULT '';
CREATE INDEX sms_outbox_recipient ON sms_outbox (recipient, created_at) WHERE recipient <> '';

-- How far the texts at case milestones have read the case events (one row).
CREATE TABLE opinion_text_marks (
    name TEXT PRIMARY KEY,
    event_id BIGINT NOT NULL
);
INSERT INTO opinion_text_marks (name, event_id) SELECT 'milestones', COALESCE(MAX(id), 0) FROM opinion_events;
