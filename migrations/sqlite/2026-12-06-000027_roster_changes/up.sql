-- A duty slot can change after it is published: its version guards edits (If-Match), and a
-- cancelled slot keeps its reason and stays on record, out of every board and booking.
ALTER TABLE duty_slots ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE duty_slots ADD COLUMN cancelled_at TIMESTAMP;
ALTER TABLE duty_slots ADD COLUMN cancel_reason TEXT;
-- The name a walk-in gave at the desk, sealed like every constituent's personal data.
ALTER TABLE opinion_intakes ADD COLUMN name_sealed TEXT;
