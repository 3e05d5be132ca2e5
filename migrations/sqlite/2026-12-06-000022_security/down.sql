DROP TABLE opinion_publications;
DROP INDEX accounts_username_ci;
ALTER TABLE refresh_tokens DROP COLUMN replay;
