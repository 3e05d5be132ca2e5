-- Foundation: regions, the organization directory, accounts, refresh tokens, audit log.
-- Same table shapes as migrations/sqlite; timestamps are UTC in TIMESTAMP columns.

CREATE TABLE regions (
    id BIGSERIAL PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    parent_id BIGINT REFERENCES regions(id),
    level TEXT NOT NULL,
    path TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX regions_path ON regions (path text_pattern_ops);
CREATE INDEX regions_parent ON regions (parent_id);

CREATE TABLE deputy_groups (
    id BIGSERIAL PRIMARY KEY,
    region_id BIGINT NOT NULL REFERENCES regions(id),
    name TEXT NOT NULL,
    term INTEGER NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (region_id, term, name)
);

CREATE TABLE deputies (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    gender TEXT NOT NULL,
    phone TEXT UNIQUE,
    photo_url TEXT,
    introduction TEXT,
    public_code TEXT NOT NULL UNIQUE,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX deputies_name ON deputies (name);

CREATE TABLE seats (
    id BIGSERIAL PRIMARY KEY,
    deputy_id BIGINT NOT NULL REFERENCES deputies(id) ON DELETE CASCADE,
    level TEXT NOT NULL,
    region_id BIGINT NOT NULL REFERENCES regions(id),
    term INTEGER NOT NULL,
    electoral_unit TEXT,
    group_id BIGINT REFERENCES deputy_groups(id),
    status TEXT NOT NULL,
    status_date TEXT,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (deputy_id, region_id, term)
);
CREATE INDEX seats_region ON seats (region_id);
CREATE INDEX seats_group ON seats (group_id);

CREATE TABLE stations (
    id BIGSERIAL PRIMARY KEY,
    region_id BIGINT NOT NULL REFERENCES regions(id),
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    address TEXT NOT NULL,
    latitude DOUBLE PRECISION NOT NULL,
    longitude DOUBLE PRECISION NOT NULL,
    radius_m INTEGER NOT NULL,
    opening_hours TEXT,
    contact_name TEXT,
    contact_phone TEXT,
    public_code TEXT NOT NULL UNIQUE,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX stations_region ON stations (region_id);

CREATE TABLE units (
    id BIGSERIAL PRIMARY KEY,
    region_id BIGINT NOT NULL REFERENCES regions(id),
    name TEXT NOT NULL,
    contact_name TEXT,
    contact_phone TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (region_id, name)
);

CREATE TABLE accounts (
    id BIGSERIAL PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    region_id BIGINT REFERENCES regions(id),
    deputy_id BIGINT REFERENCES deputies(id),
    unit_id BIGINT REFERENCES units(id),
    display_name TEXT NOT NULL,
    scopes TEXT NOT NULL DEFAULT '',
    disabled BOOLEAN NOT NULL DEFAULT FALSE,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until TIMESTAMP,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE account_stations (
    account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    station_id BIGINT NOT NULL REFERENCES stations(id) ON DELETE CASCADE,
    PRIMARY KEY (account_id, station_id)
);

CREATE TABLE refresh_tokens (
    id BIGSERIAL PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    family TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    replaced_by BIGINT,
    revoked_at TIMESTAMP
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family);

CREATE TABLE audit_log (
    id BIGSERIAL PRIMARY KEY,
    at TIMESTAMP NOT NULL,
    actor_id BIGINT,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    record_type TEXT NOT NULL,
    record_id TEXT,
    region_path TEXT,
    client_ip TEXT,
    outcome TEXT NOT NULL,
    detail TEXT,
    request_id TEXT
);
CREATE INDEX audit_log_region ON audit_log (region_path text_pattern_ops, id);

CREATE FUNCTION lvzhi_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION lvzhi_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION lvzhi_append_only();
