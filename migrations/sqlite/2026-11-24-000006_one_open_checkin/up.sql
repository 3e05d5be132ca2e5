-- One open check-in per deputy, also when two instances (or two writer threads) race: the
-- second insert fails and is retried alone, and then finds the first one open.
CREATE UNIQUE INDEX checkins_one_open ON checkins (deputy_id) WHERE checked_out_at IS NULL AND status <> 'rejected';
