DROP TABLE opinion_text_marks;
DROP INDEX sms_outbox_recipient;
ALTER TABLE sms_outbox DROP COLUMN recipient;
DROP TABLE opinion_text_optouts;
DROP TABLE opinion_photos;
