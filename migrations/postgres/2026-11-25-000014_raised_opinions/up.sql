-- Opinions a deputy raises (a suggestion staff turned into an opinion) have no constituent:
-- the deputy who raised it rates it.
ALTER TABLE opinions ALTER COLUMN constituent_id DROP NOT NULL;
ALTER TABLE opinions ADD COLUMN suggestion_id BIGINT REFERENCES suggestions(id);
CREATE UNIQUE INDEX opinions_suggestion ON opinions (suggestion_id) WHERE suggestion_id IS NOT NULL;
ALTER TABLE suggestions ADD COLUMN opinion_ticket TEXT;
