ALTER TABLE push_outbox RESET (fillfactor);
DROP INDEX push_outbox_due;
CREATE INDEX push_outbox_due ON push_outbox (status, next_at);
ALTER TABLE push_outbox DROP COLUMN provider;
