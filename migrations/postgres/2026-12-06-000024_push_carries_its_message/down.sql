ALTER TABLE push_outbox DROP COLUMN priority;
ALTER TABLE push_outbox DROP COLUMN title;
ALTER TABLE push_outbox DROP COLUMN kind;
