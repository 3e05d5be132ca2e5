-- Rankings kept in the database (LVZHI_RANKINGS=sql): every deputy's yearly total once per scope
-- they are ranked in (everyone, level, each region of their seats' paths, region and level,
-- group), and per scope how many deputies hold each total. A top list is a short walk of
-- `ledger_rank_members_top`; a place is a sum over the distinct totals of the scope (a few
-- hundred rows), whatever the scope's size. Both follow the ranking outbox, like the sorted sets.
CREATE TABLE ledger_rank_tables (
    year INTEGER PRIMARY KEY NOT NULL,
    -- NULL while the year's rows are being built (they are kept up to date already).
    built_at TIMESTAMP
);
CREATE TABLE ledger_rank_members (
    year INTEGER NOT NULL,
    deputy_id BIGINT NOT NULL,
    scope TEXT NOT NULL,
    points BIGINT NOT NULL,
    PRIMARY KEY (year, deputy_id, scope)
);
CREATE INDEX ledger_rank_members_top ON ledger_rank_members (year, scope, points DESC, deputy_id);
CREATE TABLE ledger_rank_counts (
    year INTEGER NOT NULL,
    scope TEXT NOT NULL,
    points BIGINT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (year, scope, points)
);
