-- Notices and briefing materials, deputies' inboxes (read receipts, RSVP), devices and the push
-- outbox that delivers notices to them.
CREATE TABLE notices (
    id BIGSERIAL PRIMARY KEY,
    -- the publisher's congress (0 = the installation)
    region_id BIGINT NOT NULL,
    region_path TEXT NOT NULL,
    -- meeting, briefing, study, training or general
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    -- normal or urgent
    priority TEXT NOT NULL,
    pinned BOOLEAN NOT NULL,
    -- the audience as given (JSON)
    audience TEXT NOT NULL,
    -- draft, scheduled, published or retracted
    status TEXT NOT NULL,
    publish_at TIMESTAMP,
    published_at TIMESTAMP,
    expires_at TIMESTAMP,
    rsvp_required BOOLEAN NOT NULL,
    rsvp_deadline TIMESTAMP,
    leave_needs_approval BOOLEAN NOT NULL,
    event_id BIGINT REFERENCES events(id),
    targeted BIGINT NOT NULL,
    remind_round INTEGER NOT NULL,
    created_by BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL
);
CREATE INDEX notices_region ON notices (region_path text_pattern_ops, id);
CREATE INDEX notices_due ON notices (status, publish_at);

CREATE TABLE inbox (
    notice_id BIGINT NOT NULL REFERENCES notices(id),
    deputy_id BIGINT NOT NULL REFERENCES deputies(id),
    read_at TIMESTAMP,
    -- attend or leave
    rsvp TEXT,
    rsvp_reason TEXT,
    rsvp_at TIMESTAMP,
    -- pending, approved or rejected (leave only)
    leave_status TEXT,
    pushed_at TIMESTAMP,
    acked_at TIMESTAMP,
    PRIMARY KEY (notice_id, deputy_id)
);
CREATE INDEX inbox_deputy ON inbox (deputy_id, notice_id);

CREATE TABLE devices (
    id BIGSERIAL PRIMARY KEY,
    deputy_id BIGINT NOT NULL REFERENCES deputies(id),
    account_id BIGINT NOT NULL,
    -- ios, android or harmony
    platform TEXT NOT NULL,
    -- webhook, apns, fcm, jpush or huawei
    provider TEXT NOT NULL,
    token TEXT NOT NULL,
    app_version TEXT,
    disabled_at TIMESTAMP,
    disabled_reason TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (provider, token)
);
CREATE INDEX devices_deputy ON devices (deputy_id);
CREATE INDEX devices_account ON devices (account_id);

CREATE TABLE push_outbox (
    id BIGSERIAL PRIMARY KEY,
    notice_id BIGINT NOT NULL REFERENCES notices(id),
    deputy_id BIGINT NOT NULL,
    device_id BIGINT NOT NULL REFERENCES devices(id),
    -- the same for every attempt of this send: providers drop repeats by it
    dedup_id TEXT NOT NULL UNIQUE,
    -- pending, sent, dropped (the device is gone) or dead (given up: a dead letter)
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    next_at TIMESTAMP NOT NULL,
    lease_until TIMESTAMP,
    last_error TEXT,
    sent_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX push_outbox_due ON push_outbox (status, next_at);
CREATE INDEX push_outbox_notice ON push_outbox (notice_id, deputy_id);
