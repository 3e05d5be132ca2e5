-- 代表联系群众: a deputy's fixed contacts among constituents (phone sealed, consent recorded,
-- a target frequency in days) and their visits; an issue raised may become an opinion case.
CREATE TABLE fixed_contacts (
    id BIGSERIAL PRIMARY KEY,
    deputy_id BIGINT NOT NULL REFERENCES deputies(id),
    region_path TEXT NOT NULL,
    name TEXT NOT NULL,
    phone_sealed TEXT NOT NULL,
    community TEXT NOT NULL,
    every_days INTEGER NOT NULL,
    consent_on TEXT NOT NULL,
    consent_how TEXT NOT NULL,
    status TEXT NOT NULL,
    last_visit_on TEXT,
    -- When the next visit is due: every_days after the last visit, else after the consent.
    due_on TEXT NOT NULL,
    reminded_on TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX fixed_contacts_deputy ON fixed_contacts (deputy_id, status);
CREATE INDEX fixed_contacts_due ON fixed_contacts (status, due_on);
CREATE INDEX fixed_contacts_scope ON fixed_contacts (region_path);
CREATE TABLE fixed_contact_visits (
    id BIGSERIAL PRIMARY KEY,
    contact_id BIGINT NOT NULL REFERENCES fixed_contacts(id),
    visit_on TEXT NOT NULL,
    channel TEXT NOT NULL,
    summary TEXT NOT NULL,
    issues TEXT NOT NULL DEFAULT '',
    opinion_ticket TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX fixed_contact_visits_contact ON fixed_contact_visits (contact_id, visit_on);
-- Courses of a congress for a term: offline (a training event) or online (materials with a
-- minimum reading time, an optional quiz with a pass mark and a number of attempts).
CREATE TABLE courses (
    id BIGSERIAL PRIMARY KEY,
    region_id BIGINT NOT NULL REFERENCES regions(id),
    region_path TEXT NOT NULL,
    term INTEGER NOT NULL,
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    event_id BIGINT REFERENCES events(id),
    materials TEXT NOT NULL,
    min_seconds INTEGER NOT NULL,
    pass_mark INTEGER NOT NULL,
    max_attempts INTEGER NOT NULL,
    closes_on TEXT NOT NULL,
    initial BOOLEAN NOT NULL,
    created_by BIGINT NOT NULL REFERENCES accounts(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX courses_scope ON courses (region_path, term);
CREATE TABLE course_questions (
    id BIGSERIAL PRIMARY KEY,
    course_id BIGINT NOT NULL REFERENCES courses(id),
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    options TEXT NOT NULL,
    answer TEXT NOT NULL
);
CREATE INDEX course_questions_course ON course_questions (course_id, position);
-- When a deputy first opened each material (the server's clock: the minimum time runs from it).
CREATE TABLE course_opens (
    course_id BIGINT NOT NULL REFERENCES courses(id),
    deputy_id BIGINT NOT NULL REFERENCES deputies(id),
    material INTEGER NOT NULL,
    opened_at TIMESTAMP NOT NULL,
    PRIMARY KEY (course_id, deputy_id, material)
);
-- Quiz attempts, numbered per deputy: a retried or doubled submission is the same attempt.
CREATE TABLE course_attempts (
    id BIGSERIAL PRIMARY KEY,
    course_id BIGINT NOT NULL REFERENCES courses(id),
    deputy_id BIGINT NOT NULL REFERENCES deputies(id),
    attempt INTEGER NOT NULL,
    answers TEXT NOT NULL,
    score INTEGER NOT NULL,
    passed BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX course_attempts_once ON course_attempts (course_id, deputy_id, attempt);
CREATE TABLE course_completions (
    course_id BIGINT NOT NULL REFERENCES courses(id),
    deputy_id BIGINT NOT NULL REFERENCES deputies(id),
    completed_at TIMESTAMP NOT NULL,
    PRIMARY KEY (course_id, deputy_id)
);
CREATE INDEX course_completions_deputy ON course_completions (deputy_id);
-- An issue raised in a liaison contact, carried on as a suggestion draft or an opinion case.
ALTER TABLE liaison_contacts ADD COLUMN suggestion_id BIGINT REFERENCES suggestions(id);
ALTER TABLE liaison_contacts ADD COLUMN opinion_ticket TEXT;
