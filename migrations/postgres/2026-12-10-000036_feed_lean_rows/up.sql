-- An event costs its writer as little as it can: a heap row and one small index entry when it
-- is written (the index of rows waiting to be numbered, by `id`), one index entry when it is
-- numbered (the unique index of numbers). Nothing else looks rows up by `id`, so it is no
-- longer indexed on its own.
ALTER TABLE feed_events DROP CONSTRAINT feed_events_pkey;
ALTER TABLE feed_events DROP CONSTRAINT feed_events_seq_key;
CREATE UNIQUE INDEX feed_events_seq ON feed_events (seq) WHERE seq IS NOT NULL;
CREATE INDEX feed_events_unnumbered ON feed_events (id) WHERE seq IS NULL;
