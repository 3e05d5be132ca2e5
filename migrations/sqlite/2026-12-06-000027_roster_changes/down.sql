ALTER TABLE opinion_intakes DROP COLUMN name_sealed;
ALTER TABLE duty_slots DROP COLUMN cancel_reason;
ALTER TABLE duty_slots DROP COLUMN cancelled_at;
ALTER TABLE duty_slots DROP COLUMN version;
