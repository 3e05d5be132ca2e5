-- A sent push leaves the outbox: the outbox holds what is still to send and what could not be
-- sent (dropped with a dead device, dead letters). Marking a row sent rewrote it and every
-- index over it; deleting it only marks it gone — at a national notice's millions of pushes
-- that was most of delivery's database work. That a deputy's phones were reached is on their
-- inbox row (pushed_at, acked_at); the outbox's metrics count what was sent.
DELETE FROM push_outbox WHERE status = 'sent';
