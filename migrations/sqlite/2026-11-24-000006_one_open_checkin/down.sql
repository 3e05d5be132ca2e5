DROP INDEX idempotency_keys_created;
DROP INDEX checkins_deputy_time;
DROP INDEX checkins_one_open;
