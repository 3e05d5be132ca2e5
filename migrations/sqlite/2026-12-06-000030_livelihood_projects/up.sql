-- 民生实事项目人大代表票决制: a round per congress and year gathers candidate projects, staff
-- set the ballot, the deputies present at the session vote in secret, and the tally is published
-- with every ballot so that anyone can recount it.
CREATE TABLE project_rounds (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    region_id BIGINT NOT NULL REFERENCES regions(id),
    region_path TEXT NOT NULL,
    year INTEGER NOT NULL,
    title TEXT NOT NULL,
    status TEXT NOT NULL,
    event_id BIGINT REFERENCES events(id),
    adopt_count INTEGER NOT NULL DEFAULT 0,
    max_approvals INTEGER NOT NULL DEFAULT 0,
    adoption_rule TEXT NOT NULL DEFAULT 'seated',
    seated INTEGER NOT NULL DEFAULT 0,
    result TEXT,
    digest TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    created_by BIGINT NOT NULL REFERENCES accounts(id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX project_rounds_scope ON project_rounds (region_path, year);
CREATE TABLE project_candidates (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    round_id BIGINT NOT NULL REFERENCES project_rounds(id),
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    location TEXT NOT NULL DEFAULT '',
    budget_yuan BIGINT NOT NULL DEFAULT 0,
    lead_unit_id BIGINT REFERENCES units(id),
    timeline TEXT NOT NULL DEFAULT '',
    sources TEXT NOT NULL DEFAULT '[]',
    proposed_by_deputy BIGINT REFERENCES deputies(id),
    proposed_by BIGINT NOT NULL REFERENCES accounts(id),
    on_ballot BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX project_candidates_round ON project_candidates (round_id);
-- Who voted (and how: app or paper); no time, nothing of the ballot.
CREATE TABLE project_participation (
    round_id BIGINT NOT NULL REFERENCES project_rounds(id),
    deputy_id BIGINT NOT NULL REFERENCES deputies(id),
    channel TEXT NOT NULL,
    PRIMARY KEY (round_id, deputy_id)
) WITHOUT ROWID;
-- Ballots cast while the vote is open: receipt and choices sealed together, no deputy, no time;
-- moved in shuffled order into project_ballots when the vote closes, then deleted.
CREATE TABLE project_pending_ballots (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    round_id BIGINT NOT NULL REFERENCES project_rounds(id),
    sealed TEXT NOT NULL
);
CREATE INDEX project_pending_ballots_round ON project_pending_ballots (round_id);
-- The ballots of a closed vote: a random receipt and the choices, nothing else.
CREATE TABLE project_ballots (
    receipt TEXT NOT NULL PRIMARY KEY,
    round_id BIGINT NOT NULL REFERENCES project_rounds(id),
    choices TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX project_ballots_round ON project_ballots (round_id);
-- Paper ballots counted at the session: one member of staff proposes, another approves.
CREATE TABLE project_paper_tallies (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    round_id BIGINT NOT NULL REFERENCES project_rounds(id),
    ballots INTEGER NOT NULL,
    counts TEXT NOT NULL,
    status TEXT NOT NULL,
    proposed_by BIGINT NOT NULL REFERENCES accounts(id),
    approved_by BIGINT REFERENCES accounts(id),
    created_at TIMESTAMP NOT NULL,
    decided_at TIMESTAMP
);
CREATE INDEX project_paper_tallies_round ON project_paper_tallies (round_id);
