-- The sealing pass at start-up (src/ops/pii.rs) runs while this row is here: an installation
-- upgraded past 000016 may still hold plain phone numbers and positions. The pass deletes the
-- row once everything is sealed, so later start-ups do not scan check-ins and the SMS outbox.
CREATE TABLE pii_pending (pass TEXT PRIMARY KEY);
INSERT INTO pii_pending (pass) VALUES ('seal_legacy');
