-- One open check-in per deputy, also when two instances (or two writer threads) race: the
-- second insert fails and is retried alone, and then finds the first one open.
CREATE UNIQUE INDEX checkins_one_open ON checkins (deputy_id) WHERE checked_out_at IS NULL AND status <> 'rejected';
-- Each deputy's latest check-in is found by time (an offline scan may arrive after newer ones).
CREATE INDEX checkins_deputy_time ON checkins (deputy_id, checked_in_at, id);
-- Old idempotency keys are purged by age.
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
