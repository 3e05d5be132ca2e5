-- 民生实事 after the vote: the adopted projects carried out by handling units (a lead and
-- co-units) against milestones, with progress reports and photos from the units, inspections by
-- deputies (events linked to the project, with their remarks), and the year-end assessment —
-- again secret: who rated (project_assessors) is kept apart from what was rated.
ALTER TABLE project_rounds ADD COLUMN assessing BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE project_rounds ADD COLUMN assessment TEXT;
ALTER TABLE project_candidates ADD COLUMN adopted BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE project_candidates ADD COLUMN rank INTEGER;
ALTER TABLE project_candidates ADD COLUMN approvals BIGINT;
CREATE TABLE project_units (
    candidate_id BIGINT NOT NULL REFERENCES project_candidates(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    role TEXT NOT NULL,
    PRIMARY KEY (candidate_id, unit_id)
);
CREATE INDEX project_units_unit ON project_units (unit_id);
CREATE TABLE project_milestones (
    id BIGSERIAL PRIMARY KEY,
    candidate_id BIGINT NOT NULL REFERENCES project_candidates(id),
    title TEXT NOT NULL,
    due_on TEXT NOT NULL,
    done_on TEXT,
    reminded_on TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX project_milestones_candidate ON project_milestones (candidate_id);
CREATE INDEX project_milestones_open ON project_milestones (done_on, due_on);
CREATE TABLE project_progress (
    id BIGSERIAL PRIMARY KEY,
    candidate_id BIGINT NOT NULL REFERENCES project_candidates(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    quarter TEXT NOT NULL,
    percent INTEGER NOT NULL,
    spent_yuan BIGINT NOT NULL,
    body TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES accounts(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX project_progress_candidate ON project_progress (candidate_id);
-- Photos a unit uploads, named by a progress report when it is filed.
CREATE TABLE project_photos (
    id BIGSERIAL PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    progress_id BIGINT REFERENCES project_progress(id),
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    storage_key TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX project_photos_progress ON project_photos (progress_id);
CREATE TABLE project_inspections (
    candidate_id BIGINT NOT NULL REFERENCES project_candidates(id),
    event_id BIGINT NOT NULL REFERENCES events(id),
    linked_by BIGINT NOT NULL REFERENCES accounts(id),
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (candidate_id, event_id)
);
CREATE TABLE project_inspection_remarks (
    candidate_id BIGINT NOT NULL REFERENCES project_candidates(id),
    event_id BIGINT NOT NULL REFERENCES events(id),
    deputy_id BIGINT NOT NULL REFERENCES deputies(id),
    body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (candidate_id, event_id, deputy_id)
);
-- The assessment's secret: who rated, with no time and nothing of the rating; ratings held
-- sealed while open, then written shuffled under random receipts.
CREATE TABLE project_assessors (
    round_id BIGINT NOT NULL REFERENCES project_rounds(id),
    deputy_id BIGINT NOT NULL REFERENCES deputies(id),
    PRIMARY KEY (round_id, deputy_id)
);
CREATE TABLE project_pending_ratings (
    id BIGSERIAL PRIMARY KEY,
    round_id BIGINT NOT NULL REFERENCES project_rounds(id),
    sealed TEXT NOT NULL
);
CREATE INDEX project_pending_ratings_round ON project_pending_ratings (round_id);
CREATE TABLE project_ratings (
    receipt TEXT NOT NULL PRIMARY KEY,
    round_id BIGINT NOT NULL REFERENCES project_rounds(id),
    choices TEXT NOT NULL
);
CREATE INDEX project_ratings_round ON project_ratings (round_id);
