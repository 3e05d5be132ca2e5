DROP INDEX ledger_entries_year;
CREATE INDEX ledger_entries_year ON ledger_entries (year, deputy_id);
