DROP TABLE ledger_heads;
DROP TABLE ledger_balances;
DROP TABLE ledger_entries;
DROP TABLE point_rules;
