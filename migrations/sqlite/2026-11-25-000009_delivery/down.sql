ALTER TABLE notices DROP COLUMN escalated_at;
DROP TABLE sms_outbox;
DROP TABLE push_settings;
DROP TABLE live_events;
DROP TABLE notice_attachments;
