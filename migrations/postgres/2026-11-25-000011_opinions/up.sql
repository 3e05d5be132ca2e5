-- Opinions (社情民意) constituents leave at a station or with a deputy, each with a ticket number,
-- and one event per change of state.
CREATE TABLE opinions (
    id BIGSERIAL PRIMARY KEY,
    -- YYYYMMDD-NNNNNN (the congress calendar day, that day's sequence)
    ticket TEXT NOT NULL UNIQUE,
    constituent_id BIGINT NOT NULL REFERENCES constituents(id),
    station_id BIGINT REFERENCES stations(id),
    deputy_id BIGINT REFERENCES deputies(id),
    -- the congress whose staff handle it (the station's or the deputy's first seat's region)
    region_path TEXT NOT NULL,
    category TEXT NOT NULL,
    title TEXT NOT NULL,
    content TEXT NOT NULL,
    latitude DOUBLE PRECISION,
    longitude DOUBLE PRECISION,
    -- JSON array of photo URLs
    photo_urls TEXT NOT NULL,
    -- submitted, accepted, answered, forwarded, replied, closed, rated, rejected, withdrawn
    status TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL
);
CREATE INDEX opinions_constituent ON opinions (constituent_id, id);
CREATE INDEX opinions_region ON opinions (region_path, id);

CREATE TABLE opinion_events (
    id BIGSERIAL PRIMARY KEY,
    opinion_id BIGINT NOT NULL REFERENCES opinions(id),
    from_status TEXT,
    to_status TEXT NOT NULL,
    actor_account BIGINT NOT NULL,
    actor_role TEXT NOT NULL,
    note TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX opinion_events_opinion ON opinion_events (opinion_id, id);

CREATE TABLE ticket_days (
    day TEXT PRIMARY KEY,
    last BIGINT NOT NULL
);
