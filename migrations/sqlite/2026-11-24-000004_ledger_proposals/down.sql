DROP TABLE ledger_proposals;
