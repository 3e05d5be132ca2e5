-- Handling of opinions: the deputy and unit in charge, deadlines in working days, extensions,
-- rounds and ratings, merges; threads, followers, the holiday calendar and appointments.
-- (no REFERENCES on added columns: SQLite cannot drop a column that is in a foreign key)
ALTER TABLE opinions ADD COLUMN unit_id BIGINT;
-- end of the unit's deadline (its last working day, congress time zone), in UTC
ALTER TABLE opinions ADD COLUMN due_at TIMESTAMP;
-- a unit's pending request for a later deadline
ALTER TABLE opinions ADD COLUMN extension_until TIMESTAMP;
ALTER TABLE opinions ADD COLUMN extension_reason TEXT;
ALTER TABLE opinions ADD COLUMN reminded_at TIMESTAMP;
ALTER TABLE opinions ADD COLUMN forwarded_at TIMESTAMP;
ALTER TABLE opinions ADD COLUMN first_answer_at TIMESTAMP;
-- 1, or 2 after an unsatisfied rating reopened the case (escalated to the parent congress's staff)
ALTER TABLE opinions ADD COLUMN round INTEGER NOT NULL DEFAULT 1;
ALTER TABLE opinions ADD COLUMN escalated BOOLEAN NOT NULL DEFAULT 0;
ALTER TABLE opinions ADD COLUMN forward_requested BOOLEAN NOT NULL DEFAULT 0;
-- satisfied, basically_satisfied, unsatisfied (the last rating) and its 1–5 scores
ALTER TABLE opinions ADD COLUMN satisfaction TEXT;
ALTER TABLE opinions ADD COLUMN result_score INTEGER;
ALTER TABLE opinions ADD COLUMN attitude_score INTEGER;
ALTER TABLE opinions ADD COLUMN merged_into BIGINT;
CREATE INDEX opinions_deputy ON opinions (deputy_id, id);
CREATE INDEX opinions_unit ON opinions (unit_id, id);
CREATE INDEX opinions_due ON opinions (status, due_at);
CREATE INDEX opinions_category_day ON opinions (category, created_at);

-- The thread of a case: answers addressed to the constituent, and internal notes they never see.
CREATE TABLE opinion_messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    opinion_id BIGINT NOT NULL REFERENCES opinions(id),
    author_account BIGINT NOT NULL,
    -- constituent, deputy, staff or unit
    author_role TEXT NOT NULL,
    body TEXT NOT NULL,
    internal BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX opinion_messages_opinion ON opinion_messages (opinion_id, id);

-- Constituents following a case instead of filing it again.
CREATE TABLE opinion_followers (
    opinion_id BIGINT NOT NULL REFERENCES opinions(id),
    constituent_id BIGINT NOT NULL REFERENCES constituents(id),
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (opinion_id, constituent_id)
);
CREATE INDEX opinion_followers_constituent ON opinion_followers (constituent_id);

-- Days that differ from the Monday–Friday week: public holidays (working = false) and
-- make-up working days on a weekend (working = true). YYYY-MM-DD.
CREATE TABLE calendar_days (
    day TEXT PRIMARY KEY,
    working BOOLEAN NOT NULL,
    name TEXT NOT NULL
);

-- Reception appointments booked by constituents with a deputy on duty.
CREATE TABLE appointments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    constituent_id BIGINT NOT NULL REFERENCES constituents(id),
    deputy_id BIGINT NOT NULL REFERENCES deputies(id),
    station_id BIGINT NOT NULL REFERENCES stations(id),
    slot_id BIGINT NOT NULL REFERENCES duty_slots(id),
    starts_at TIMESTAMP NOT NULL,
    -- in_person or online
    mode TEXT NOT NULL,
    video_url TEXT,
    topic TEXT NOT NULL,
    -- requested, confirmed, declined, cancelled
    status TEXT NOT NULL,
    note TEXT,
    reminded_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX appointments_deputy ON appointments (deputy_id, starts_at);
CREATE INDEX appointments_constituent ON appointments (constituent_id, id);
CREATE INDEX appointments_due ON appointments (status, starts_at);
-- one live booking per constituent, slot and deputy
CREATE UNIQUE INDEX appointments_one ON appointments (constituent_id, slot_id, deputy_id) WHERE status IN ('requested', 'confirmed');

-- Live events addressed to one account (a constituent's case changed).
ALTER TABLE live_events ADD COLUMN account_id BIGINT;
CREATE INDEX live_events_account ON live_events (account_id, id);
