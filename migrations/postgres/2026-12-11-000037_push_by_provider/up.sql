-- A push row names its device's provider, so that delivery claims each provider's pushes on
-- their own (a provider that takes a thousand tokens a request is claimed a thousand at a time,
-- one that takes one is not), each in the order of `next_at` through this index.
ALTER TABLE push_outbox ADD COLUMN provider TEXT NOT NULL DEFAULT '';
UPDATE push_outbox SET provider = COALESCE((SELECT d.provider FROM devices d WHERE d.id = push_outbox.device_id), '')
WHERE status = 'pending';
DROP INDEX push_outbox_due;
CREATE INDEX push_outbox_due ON push_outbox (status, provider, next_at);
-- Room on each page for a row's next versions: leasing a push changes no indexed column, so
-- its new version stays on the page and no index is written (a heap-only update).
ALTER TABLE push_outbox SET (fillfactor = 50);
