ALTER TABLE suggestions DROP COLUMN opinion_ticket;
DELETE FROM opinion_events WHERE opinion_id IN (SELECT id FROM opinions WHERE constituent_id IS NULL);
DELETE FROM opinion_messages WHERE opinion_id IN (SELECT id FROM opinions WHERE constituent_id IS NULL);
DELETE FROM opinions WHERE constituent_id IS NULL;
ALTER TABLE opinions DROP COLUMN suggestion_id;
ALTER TABLE opinions ALTER COLUMN constituent_id SET NOT NULL;
