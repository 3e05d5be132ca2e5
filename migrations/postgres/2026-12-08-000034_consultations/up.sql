-- Consultations (征求意见) and surveys (网络调查): a text put to deputies and the public article
-- by article, an optional questionnaire, and the feedback on what was adopted (采纳情况).
CREATE TABLE consultations (
    id BIGSERIAL PRIMARY KEY,
    region_id BIGINT NOT NULL REFERENCES regions(id),
    region_path TEXT NOT NULL,
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    summary TEXT NOT NULL,
    -- draft until published; then the window [opens_at, closes_at) takes answers.
    status TEXT NOT NULL,
    opens_at TIMESTAMP NOT NULL,
    closes_at TIMESTAMP NOT NULL,
    audience TEXT NOT NULL,
    public BOOLEAN NOT NULL,
    anonymous BOOLEAN NOT NULL,
    attachments TEXT NOT NULL,
    notice_id BIGINT REFERENCES notices(id),
    published_at TIMESTAMP,
    reminded_at TIMESTAMP,
    feedback TEXT,
    feedback_at TIMESTAMP,
    created_by BIGINT NOT NULL REFERENCES accounts(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX consultations_scope ON consultations (region_path, status);
CREATE INDEX consultations_closing ON consultations (status, closes_at);
CREATE TABLE consultation_articles (
    consultation_id BIGINT NOT NULL REFERENCES consultations(id),
    number INTEGER NOT NULL,
    heading TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (consultation_id, number)
);
CREATE TABLE consultation_questions (
    consultation_id BIGINT NOT NULL REFERENCES consultations(id),
    number INTEGER NOT NULL,
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    options TEXT NOT NULL,
    required BOOLEAN NOT NULL,
    PRIMARY KEY (consultation_id, number)
);
-- Stations serving as grassroots legislative contact points (基层立法联系点) for it.
CREATE TABLE consultation_points (
    consultation_id BIGINT NOT NULL REFERENCES consultations(id),
    station_id BIGINT NOT NULL REFERENCES stations(id),
    PRIMARY KEY (consultation_id, station_id)
);
-- The deputies the audience reached when it was published.
CREATE TABLE consultation_audience (
    consultation_id BIGINT NOT NULL REFERENCES consultations(id),
    deputy_id BIGINT NOT NULL REFERENCES deputies(id),
    PRIMARY KEY (consultation_id, deputy_id)
);
CREATE TABLE consultation_comments (
    id BIGSERIAL PRIMARY KEY,
    consultation_id BIGINT NOT NULL REFERENCES consultations(id),
    -- NULL: a general comment.
    article INTEGER,
    -- deputy, constituent or walk_in.
    author_kind TEXT NOT NULL,
    deputy_id BIGINT REFERENCES deputies(id),
    constituent_id BIGINT REFERENCES constituents(id),
    station_id BIGINT REFERENCES stations(id),
    channel TEXT,
    phone_sealed TEXT,
    entered_by BIGINT REFERENCES accounts(id),
    body TEXT NOT NULL,
    wording TEXT,
    decision TEXT,
    reason TEXT,
    decided_by BIGINT REFERENCES accounts(id),
    decided_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX consultation_comments_of ON consultation_comments (consultation_id, article);
CREATE INDEX consultation_comments_deputy ON consultation_comments (deputy_id);
CREATE INDEX consultation_comments_constituent ON consultation_comments (constituent_id);
-- Who answered the questionnaire: kept apart from the answers (an anonymous survey's answers
-- carry no respondent).
CREATE TABLE consultation_participation (
    consultation_id BIGINT NOT NULL REFERENCES consultations(id),
    respondent TEXT NOT NULL,
    PRIMARY KEY (consultation_id, respondent)
);
-- Answers under a random key; `respondent` only when the survey is not anonymous; the level
-- (and, when not anonymous, the seat's region) for cross-tabulation; no time.
CREATE TABLE consultation_answers (
    id TEXT NOT NULL PRIMARY KEY,
    consultation_id BIGINT NOT NULL REFERENCES consultations(id),
    respondent TEXT,
    level TEXT NOT NULL,
    region_path TEXT,
    answers TEXT NOT NULL
);
CREATE INDEX consultation_answers_of ON consultation_answers (consultation_id);
CREATE UNIQUE INDEX consultation_answers_respondent ON consultation_answers (consultation_id, respondent);
-- An anonymous survey's answers while they wait to be settled: each one value sealed under the
-- personal-data key (its level and answers), in a row with only an id; moved in shuffled
-- batches of 20 (and the rest at the close) into consultation_answers under random keys.
CREATE TABLE consultation_held_answers (
    id BIGSERIAL PRIMARY KEY,
    consultation_id BIGINT NOT NULL REFERENCES consultations(id),
    sealed TEXT NOT NULL
);
CREATE INDEX consultation_held_answers_of ON consultation_held_answers (consultation_id);
