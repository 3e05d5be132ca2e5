-- Deputies' suggestions (代表建议): filed with co-signers, reviewed and assigned by staff to a
-- lead unit and co-handling units, handled with logged contacts, replied to with a
-- classification, and rated by the deputy. One event per change of state.
CREATE TABLE suggestions (
    id BIGSERIAL PRIMARY KEY,
    -- JY + year + sequence, e.g. JY2026-000123 (given when first submitted)
    number TEXT UNIQUE,
    author_deputy_id BIGINT NOT NULL REFERENCES deputies(id),
    author_account BIGINT NOT NULL,
    -- the congress it is filed with (a region path of one of the author's seats)
    region_path TEXT NOT NULL,
    title TEXT NOT NULL,
    content TEXT NOT NULL,
    category TEXT NOT NULL,
    -- session (大会期间) or recess (闭会期间)
    period TEXT NOT NULL,
    -- draft, submitted, returned, accepted, assigned, replied, evaluated, withdrawn, converted
    status TEXT NOT NULL,
    publish_consent BOOLEAN NOT NULL DEFAULT FALSE,
    key_leader TEXT,
    due_at TIMESTAMP,
    -- A solved, B being solved, C hard to solve now (the lead unit's reply)
    classification TEXT,
    reply TEXT,
    replied_at TIMESTAMP,
    satisfaction TEXT,
    evaluation TEXT,
    round INTEGER NOT NULL DEFAULT 1,
    -- the lead unit's pending request for more time
    extension_months INTEGER,
    extension_reason TEXT,
    -- a B item carried over and tracked until cleared (销号)
    cleared_at TIMESTAMP,
    -- when the lead unit was last texted about the overdue suggestion
    reminded_at TIMESTAMP,
    excellent BOOLEAN NOT NULL DEFAULT FALSE,
    submitted_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL
);
CREATE INDEX suggestions_author ON suggestions (author_deputy_id, id);
CREATE INDEX suggestions_region ON suggestions (region_path, id);
CREATE INDEX suggestions_due ON suggestions (status, due_at);

CREATE TABLE suggestion_cosigners (
    suggestion_id BIGINT NOT NULL REFERENCES suggestions(id),
    deputy_id BIGINT NOT NULL REFERENCES deputies(id),
    -- invited, confirmed or declined
    status TEXT NOT NULL,
    decided_at TIMESTAMP,
    PRIMARY KEY (suggestion_id, deputy_id)
);
CREATE INDEX suggestion_cosigners_deputy ON suggestion_cosigners (deputy_id);

CREATE TABLE suggestion_units (
    suggestion_id BIGINT NOT NULL REFERENCES suggestions(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    -- lead or co
    role TEXT NOT NULL,
    acknowledged_at TIMESTAMP,
    PRIMARY KEY (suggestion_id, unit_id)
);
CREATE INDEX suggestion_units_unit ON suggestion_units (unit_id);

-- A unit's contacts with the deputy (沟通): at least one before its reply.
CREATE TABLE suggestion_contacts (
    id BIGSERIAL PRIMARY KEY,
    suggestion_id BIGINT NOT NULL REFERENCES suggestions(id),
    unit_id BIGINT NOT NULL,
    account_id BIGINT NOT NULL,
    -- phone, visit or meeting
    channel TEXT NOT NULL,
    -- YYYY-MM-DD
    contacted_on TEXT NOT NULL,
    summary TEXT NOT NULL,
    round INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX suggestion_contacts_suggestion ON suggestion_contacts (suggestion_id, id);

CREATE TABLE suggestion_events (
    id BIGSERIAL PRIMARY KEY,
    suggestion_id BIGINT NOT NULL REFERENCES suggestions(id),
    from_status TEXT,
    to_status TEXT NOT NULL,
    actor_account BIGINT NOT NULL,
    actor_role TEXT NOT NULL,
    note TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX suggestion_events_suggestion ON suggestion_events (suggestion_id, id);

-- Urging (催办): deputies weigh 1, staff 2, a key suggestion's supervising leader 4.
CREATE TABLE suggestion_urges (
    id BIGSERIAL PRIMARY KEY,
    suggestion_id BIGINT NOT NULL REFERENCES suggestions(id),
    account_id BIGINT NOT NULL,
    -- deputy, staff or leader
    role TEXT NOT NULL,
    weight INTEGER NOT NULL,
    note TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX suggestion_urges_suggestion ON suggestion_urges (suggestion_id);

-- Files attached to a suggestion by its author (while a draft or returned).
CREATE TABLE suggestion_attachments (
    id BIGSERIAL PRIMARY KEY,
    suggestion_id BIGINT NOT NULL REFERENCES suggestions(id),
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    storage_key TEXT NOT NULL,
    uploaded_by BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX suggestion_attachments_suggestion ON suggestion_attachments (suggestion_id, id);
