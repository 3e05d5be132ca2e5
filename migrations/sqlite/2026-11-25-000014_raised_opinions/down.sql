-- SQLite cannot drop NOT NULL: the table is rebuilt (tables pointing at it keep their rows; their
-- foreign keys are checked at commit).
PRAGMA defer_foreign_keys = ON;
ALTER TABLE suggestions DROP COLUMN opinion_ticket;
DELETE FROM opinion_events WHERE opinion_id IN (SELECT id FROM opinions WHERE constituent_id IS NULL);
DELETE FROM opinion_messages WHERE opinion_id IN (SELECT id FROM opinions WHERE constituent_id IS NULL);
DELETE FROM opinions WHERE constituent_id IS NULL;
CREATE TABLE opinions_old (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket TEXT NOT NULL UNIQUE,
    constituent_id BIGINT NOT NULL REFERENCES constituents(id),
    station_id BIGINT REFERENCES stations(id),
    deputy_id BIGINT REFERENCES deputies(id),
    region_path TEXT NOT NULL,
    category TEXT NOT NULL,
    title TEXT NOT NULL,
    content TEXT NOT NULL,
    latitude DOUBLE,
    longitude DOUBLE,
    photo_urls TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL,
    unit_id BIGINT,
    due_at TIMESTAMP,
    extension_until TIMESTAMP,
    extension_reason TEXT,
    reminded_at TIMESTAMP,
    forwarded_at TIMESTAMP,
    first_answer_at TIMESTAMP,
    round INTEGER NOT NULL DEFAULT 1,
    escalated BOOLEAN NOT NULL DEFAULT 0,
    forward_requested BOOLEAN NOT NULL DEFAULT 0,
    satisfaction TEXT,
    result_score INTEGER,
    attitude_score INTEGER,
    merged_into BIGINT
);
INSERT INTO opinions_old (id, ticket, constituent_id, station_id, deputy_id, region_path, category, title, content, latitude, longitude, photo_urls, status, created_at, updated_at, version, unit_id, due_at, extension_until, extension_reason, reminded_at, forwarded_at, first_answer_at, round, escalated, forward_requested, satisfaction, result_score, attitude_score, merged_into) SELECT id, ticket, constituent_id, station_id, deputy_id, region_path, category, title, content, latitude, longitude, photo_urls, status, created_at, updated_at, version, unit_id, due_at, extension_until, extension_reason, reminded_at, forwarded_at, first_answer_at, round, escalated, forward_requested, satisfaction, result_score, attitude_score, merged_into FROM opinions;
DROP TABLE opinions;
ALTER TABLE opinions_old RENAME TO opinions;
CREATE INDEX opinions_constituent ON opinions (constituent_id, id);
CREATE INDEX opinions_region ON opinions (region_path, id);
CREATE INDEX opinions_deputy ON opinions (deputy_id, id);
CREATE INDEX opinions_unit ON opinions (unit_id, id);
CREATE INDEX opinions_due ON opinions (status, due_at);
CREATE INDEX opinions_category_day ON opinions (category, created_at);
