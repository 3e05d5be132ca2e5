-- The ledger consumes point events oldest first among those not consumed yet. Without an index it
-- read past every consumed event (all of them, in the end) on each pass; pending events are few
-- at any moment, so a partial index keeps the pass small at any size.
CREATE INDEX point_events_pending ON point_events (id) WHERE consumed_at IS NULL;
