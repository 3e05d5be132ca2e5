DROP INDEX feed_events_unnumbered;
DROP INDEX feed_events_seq;
ALTER TABLE feed_events ADD CONSTRAINT feed_events_seq_key UNIQUE (seq);
ALTER TABLE feed_events ADD PRIMARY KEY (id);
