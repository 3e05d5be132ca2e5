-- Maker-checker for manual awards and deductions: one person proposes, another decides.
CREATE TABLE ledger_proposals (
    id BIGSERIAL PRIMARY KEY,
    deputy_id BIGINT NOT NULL REFERENCES deputies(id),
    rule_code TEXT NOT NULL,
    points INTEGER NOT NULL,
    reason TEXT NOT NULL,
    occurred_at TIMESTAMP NOT NULL,
    proposed_by BIGINT NOT NULL,
    proposed_at TIMESTAMP NOT NULL,
    status TEXT NOT NULL,
    decided_by BIGINT,
    decided_at TIMESTAMP,
    decision_note TEXT,
    entry_id BIGINT REFERENCES ledger_entries(id)
);
CREATE INDEX ledger_proposals_status ON ledger_proposals (status, id);
