DROP INDEX live_events_account;
ALTER TABLE live_events DROP COLUMN account_id;
DROP TABLE appointments;
DROP TABLE calendar_days;
DROP TABLE opinion_followers;
DROP TABLE opinion_messages;
DROP INDEX opinions_deputy;
DROP INDEX opinions_unit;
DROP INDEX opinions_due;
DROP INDEX opinions_category_day;
ALTER TABLE opinions DROP COLUMN unit_id, DROP COLUMN due_at, DROP COLUMN extension_until, DROP COLUMN extension_reason,
    DROP COLUMN reminded_at, DROP COLUMN forwarded_at, DROP COLUMN first_answer_at, DROP COLUMN round, DROP COLUMN escalated,
    DROP COLUMN forward_requested, DROP COLUMN satisfaction, DROP COLUMN result_score, DROP COLUMN attitude_score, DROP COLUMN merged_into;
