-- Check-ins: station/event QR secrets, check-ins with their evidence, duty roster, events,
-- activity records, idempotency keys, and the durable queue of point events for the ledger.

CREATE TABLE qr_secrets (
    place_kind TEXT NOT NULL,
    place_id BIGINT NOT NULL,
    secret TEXT NOT NULL,
    kiosk_key_hash TEXT,
    rotated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (place_kind, place_id)
);

CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    region_id BIGINT NOT NULL REFERENCES regions(id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    station_id BIGINT REFERENCES stations(id),
    venue TEXT,
    latitude DOUBLE NOT NULL,
    longitude DOUBLE NOT NULL,
    radius_m INTEGER NOT NULL,
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL,
    closed_at TIMESTAMP,
    created_by BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX events_region ON events (region_id, starts_at);

CREATE TABLE event_invitees (
    event_id BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    deputy_id BIGINT NOT NULL REFERENCES deputies(id),
    leave_approved BOOLEAN NOT NULL DEFAULT 0,
    attendance TEXT,
    PRIMARY KEY (event_id, deputy_id)
);

CREATE TABLE checkins (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    deputy_id BIGINT NOT NULL REFERENCES deputies(id),
    station_id BIGINT REFERENCES stations(id),
    event_id BIGINT REFERENCES events(id),
    status TEXT NOT NULL,
    qr_valid BOOLEAN NOT NULL,
    inside_geofence BOOLEAN NOT NULL,
    distance_m DOUBLE,
    accuracy_m DOUBLE,
    latitude DOUBLE,
    longitude DOUBLE,
    offline BOOLEAN NOT NULL,
    staff_confirmed BOOLEAN NOT NULL,
    impossible_travel BOOLEAN NOT NULL,
    reasons TEXT NOT NULL,
    checked_in_at TIMESTAMP NOT NULL,
    recorded_at TIMESTAMP NOT NULL,
    recorded_by BIGINT NOT NULL,
    checked_out_at TIMESTAMP,
    auto_closed BOOLEAN NOT NULL DEFAULT 0,
    reviewed_by BIGINT,
    reviewed_at TIMESTAMP,
    review_note TEXT
);
CREATE INDEX checkins_deputy ON checkins (deputy_id, id);
CREATE INDEX checkins_station_time ON checkins (station_id, checked_in_at);
CREATE INDEX checkins_open ON checkins (checked_out_at, checked_in_at);

CREATE TABLE duty_slots (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    station_id BIGINT NOT NULL REFERENCES stations(id) ON DELETE CASCADE,
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL,
    note TEXT,
    settled_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX duty_slots_station ON duty_slots (station_id, starts_at);

CREATE TABLE duty_assignments (
    slot_id BIGINT NOT NULL REFERENCES duty_slots(id) ON DELETE CASCADE,
    deputy_id BIGINT NOT NULL REFERENCES deputies(id),
    outcome TEXT,
    PRIMARY KEY (slot_id, deputy_id)
);

CREATE TABLE activity_records (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    deputy_id BIGINT NOT NULL REFERENCES deputies(id),
    checkin_id BIGINT REFERENCES checkins(id),
    event_id BIGINT REFERENCES events(id),
    station_id BIGINT REFERENCES stations(id),
    constituents_received INTEGER NOT NULL,
    opinions_collected INTEGER NOT NULL,
    summary TEXT NOT NULL,
    photo_urls TEXT NOT NULL,
    written_by BIGINT NOT NULL,
    occurred_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX activity_records_deputy ON activity_records (deputy_id, occurred_at);

CREATE TABLE idempotency_keys (
    account_id BIGINT NOT NULL,
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status INTEGER NOT NULL,
    body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (account_id, key)
);

CREATE TABLE point_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    deputy_id BIGINT NOT NULL REFERENCES deputies(id),
    kind TEXT NOT NULL,
    source_kind TEXT NOT NULL,
    source_id BIGINT NOT NULL,
    occurred_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL,
    consumed_at TIMESTAMP,
    UNIQUE (source_kind, source_id, deputy_id, kind)
);
