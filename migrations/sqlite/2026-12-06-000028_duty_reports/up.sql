-- 述职评议: a deputy's report to the voters and electoral unit that elected them, once a term.
-- Staff schedule it (a date, a station, the electoral unit invited); the deputy drafts it on a
-- frozen copy of their signed duty archive; staff return or approve it, and approving opens a
-- session (an event of kind duty_report) where those present rate it from their phones.
CREATE TABLE duty_reports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    deputy_id BIGINT NOT NULL REFERENCES deputies(id),
    region_path TEXT NOT NULL,
    term INTEGER NOT NULL,
    year INTEGER,
    status TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    figures TEXT,
    chain_head TEXT,
    station_id BIGINT REFERENCES stations(id),
    electoral_unit TEXT,
    representatives INTEGER NOT NULL DEFAULT 0,
    scheduled_for TIMESTAMP,
    event_id BIGINT REFERENCES events(id),
    staff_comment TEXT,
    reminded_at TIMESTAMP,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    delivered_at TIMESTAMP,
    published_at TIMESTAMP
);
CREATE INDEX duty_reports_deputy ON duty_reports (deputy_id, term);
CREATE INDEX duty_reports_scope ON duty_reports (region_path, term);
-- One rating per person and report, given during the session with its rotating token.
CREATE TABLE duty_report_ratings (
    report_id BIGINT NOT NULL REFERENCES duty_reports(id),
    constituent_id BIGINT NOT NULL REFERENCES constituents(id),
    verdict TEXT NOT NULL,
    comment TEXT,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (report_id, constituent_id)
);
-- The annual evaluation may require a report in the term by a year (its last year).
ALTER TABLE evaluation_settings ADD COLUMN duty_report_due_year INTEGER;
-- Paper ballots counted at the session: one member of staff proposes the tally, another approves it.
CREATE TABLE duty_report_tallies (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    report_id BIGINT NOT NULL REFERENCES duty_reports(id),
    satisfied INTEGER NOT NULL,
    basically_satisfied INTEGER NOT NULL,
    unsatisfied INTEGER NOT NULL,
    status TEXT NOT NULL,
    proposed_by BIGINT NOT NULL REFERENCES accounts(id),
    approved_by BIGINT REFERENCES accounts(id),
    created_at TIMESTAMP NOT NULL,
    decided_at TIMESTAMP
);
CREATE INDEX duty_report_tallies_report ON duty_report_tallies (report_id);
