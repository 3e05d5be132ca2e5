DROP TABLE ledger_rank_counts;
DROP TABLE ledger_rank_members;
DROP TABLE ledger_rank_tables;
