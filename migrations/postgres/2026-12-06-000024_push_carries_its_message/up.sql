-- A push row carries what it sends (the notice's kind, title and priority at the time it was
-- queued), so delivery never reads notices. Rows queued before this change are filled in.
ALTER TABLE push_outbox ADD COLUMN kind TEXT NOT NULL DEFAULT '';
ALTER TABLE push_outbox ADD COLUMN title TEXT NOT NULL DEFAULT '';
ALTER TABLE push_outbox ADD COLUMN priority TEXT NOT NULL DEFAULT 'normal';
UPDATE push_outbox SET
    kind = COALESCE((SELECT n.kind FROM notices n WHERE n.id = push_outbox.notice_id), ''),
    title = COALESCE((SELECT n.title FROM notices n WHERE n.id = push_outbox.notice_id), ''),
    priority = COALESCE((SELECT n.priority FROM notices n WHERE n.id = push_outbox.notice_id), 'normal')
WHERE status = 'pending';
