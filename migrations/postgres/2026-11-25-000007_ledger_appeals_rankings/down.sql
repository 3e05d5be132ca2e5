DROP TABLE ledger_rank_outbox;
DROP TABLE evaluation_settings;
DROP TABLE ledger_head_publications;
DROP TABLE ranking_snapshot_rows;
DROP TABLE ranking_snapshots;
DROP TABLE ledger_appeal_messages;
DROP TABLE ledger_appeals;
