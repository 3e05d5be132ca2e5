-- Points ledger: versioned rulebook, append-only hash-chained entries, balances, chain heads.

CREATE TABLE point_rules (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    -- 0 = the installation's default rulebook; otherwise a congress (region) id.
    region_id BIGINT NOT NULL,
    version INTEGER NOT NULL,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    category TEXT NOT NULL,
    points INTEGER NOT NULL,
    yearly_cap INTEGER,
    daily_cap INTEGER,
    needs_review BOOLEAN NOT NULL,
    clause TEXT NOT NULL,
    effective_from TEXT,
    effective_to TEXT,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (region_id, version, code)
);

CREATE TABLE ledger_entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    deputy_id BIGINT NOT NULL REFERENCES deputies(id),
    rule_id BIGINT NOT NULL REFERENCES point_rules(id),
    rule_code TEXT NOT NULL,
    category TEXT NOT NULL,
    year INTEGER NOT NULL,
    points INTEGER NOT NULL,
    requested_points INTEGER NOT NULL,
    cap_note TEXT,
    occurred_at TIMESTAMP NOT NULL,
    recorded_at TIMESTAMP NOT NULL,
    source_kind TEXT NOT NULL,
    source_id TEXT NOT NULL,
    actor TEXT NOT NULL,
    reason TEXT,
    reverses BIGINT UNIQUE REFERENCES ledger_entries(id),
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    UNIQUE (deputy_id, source_kind, source_id, rule_code)
);
CREATE INDEX ledger_entries_deputy ON ledger_entries (deputy_id, id);
CREATE INDEX ledger_entries_year ON ledger_entries (year, deputy_id);

CREATE TABLE ledger_balances (
    deputy_id BIGINT NOT NULL,
    year INTEGER NOT NULL,
    category TEXT NOT NULL,
    points BIGINT NOT NULL,
    entries BIGINT NOT NULL,
    PRIMARY KEY (deputy_id, year, category)
);
CREATE INDEX ledger_balances_year ON ledger_balances (year, deputy_id);

CREATE TABLE ledger_heads (
    deputy_id BIGINT PRIMARY KEY,
    entry_id BIGINT NOT NULL,
    hash TEXT NOT NULL
);

CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE ON ledger_entries
BEGIN
    SELECT RAISE(ABORT, 'ledger_entries is append-only');
END;
CREATE TRIGGER ledger_entries_no_delete BEFORE DELETE ON ledger_entries
BEGIN
    SELECT RAISE(ABORT, 'ledger_entries is append-only');
END;
