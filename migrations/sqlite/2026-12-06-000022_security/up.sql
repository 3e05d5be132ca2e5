-- Security mends (issue 28).
-- A refresh token's first answer, sealed, so that a retry within the grace window gets the same
-- answer again (never a third token); emptied once its successor is used or the family revoked.
ALTER TABLE refresh_tokens ADD COLUMN replay TEXT;
-- Usernames are unique regardless of case (`Admin`, `ADMIN` and `admin` are one account).
CREATE UNIQUE INDEX accounts_username_ci ON accounts (lower(username));
-- What a case shows to people who follow it (not the person who filed it): a title and an answer
-- that staff approved as public; nothing else of the case.
CREATE TABLE opinion_publications (
    opinion_id BIGINT PRIMARY KEY REFERENCES opinions (id),
    title TEXT NOT NULL,
    answer TEXT,
    updated_at TIMESTAMP NOT NULL
);
