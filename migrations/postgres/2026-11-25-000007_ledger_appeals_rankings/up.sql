-- Appeals (错、重、漏): a deputy disputes an entry or reports a missing activity; staff resolve it.
CREATE TABLE ledger_appeals (
    id BIGSERIAL PRIMARY KEY,
    deputy_id BIGINT NOT NULL REFERENCES deputies(id),
    -- dispute (an entry is wrong or counted twice) or missing (an activity was not counted)
    kind TEXT NOT NULL,
    entry_id BIGINT REFERENCES ledger_entries(id),
    year INTEGER NOT NULL,
    description TEXT NOT NULL,
    occurred_on TEXT,
    -- open, resolved or rejected
    status TEXT NOT NULL,
    -- reversal, new_entry or rejected
    resolution TEXT,
    resolution_note TEXT,
    result_entry_id BIGINT REFERENCES ledger_entries(id),
    created_at TIMESTAMP NOT NULL,
    resolved_at TIMESTAMP,
    resolved_by BIGINT
);
CREATE INDEX ledger_appeals_deputy ON ledger_appeals (deputy_id, id);
CREATE INDEX ledger_appeals_status ON ledger_appeals (status, id);
CREATE UNIQUE INDEX ledger_appeals_one_open ON ledger_appeals (entry_id) WHERE status = 'open';

CREATE TABLE ledger_appeal_messages (
    id BIGSERIAL PRIMARY KEY,
    appeal_id BIGINT NOT NULL REFERENCES ledger_appeals(id),
    author_id BIGINT NOT NULL,
    author TEXT NOT NULL,
    body TEXT NOT NULL,
    at TIMESTAMP NOT NULL
);
CREATE INDEX ledger_appeal_messages_appeal ON ledger_appeal_messages (appeal_id, id);

-- Quarterly public scoring (亮分): a ranking fixed when it is published.
CREATE TABLE ranking_snapshots (
    id BIGSERIAL PRIMARY KEY,
    year INTEGER NOT NULL,
    quarter INTEGER NOT NULL,
    -- 0 = the whole installation
    region_id BIGINT NOT NULL,
    region_path TEXT NOT NULL,
    deputies BIGINT NOT NULL,
    published_at TIMESTAMP NOT NULL,
    published_by BIGINT NOT NULL,
    UNIQUE (year, quarter, region_id)
);
CREATE TABLE ranking_snapshot_rows (
    snapshot_id BIGINT NOT NULL REFERENCES ranking_snapshots(id),
    rank INTEGER NOT NULL,
    deputy_id BIGINT NOT NULL,
    points BIGINT NOT NULL,
    PRIMARY KEY (snapshot_id, deputy_id)
);
CREATE INDEX ranking_snapshot_rows_rank ON ranking_snapshot_rows (snapshot_id, rank, deputy_id);
CREATE TRIGGER ranking_snapshots_fixed BEFORE UPDATE OR DELETE ON ranking_snapshots
    FOR EACH ROW EXECUTE FUNCTION lvzhi_append_only();
CREATE TRIGGER ranking_snapshot_rows_fixed BEFORE UPDATE OR DELETE ON ranking_snapshot_rows
    FOR EACH ROW EXECUTE FUNCTION lvzhi_append_only();

-- The chain heads published once a day (a digest over every head), so that a rewrite of whole
-- chains shows against the published digests kept outside the database (the log, the feed).
CREATE TABLE ledger_head_publications (
    id BIGSERIAL PRIMARY KEY,
    day TEXT NOT NULL UNIQUE,
    heads BIGINT NOT NULL,
    entries_upto BIGINT NOT NULL,
    digest TEXT NOT NULL,
    published_at TIMESTAMP NOT NULL
);

-- Annual evaluation settings per congress (region 0: the installation's default).
CREATE TABLE evaluation_settings (
    region_id BIGINT PRIMARY KEY,
    min_group_activities INTEGER NOT NULL,
    min_suggestions INTEGER NOT NULL,
    excellent_quota_pct INTEGER NOT NULL,
    bottom_n INTEGER NOT NULL,
    -- comma-separated deputy ids that do not compete (e.g. leaders)
    excluded_deputies TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- Deputies whose yearly total or seats changed since the leaderboards (sorted sets) last saw
-- them: written in the change's transaction, drained by the leaderboard worker. The id orders
-- the changes of one deputy (it is taken under the deputy's chain-head lock).
CREATE TABLE ledger_rank_outbox (
    id BIGSERIAL PRIMARY KEY,
    deputy_id BIGINT NOT NULL,
    year INTEGER NOT NULL
);
