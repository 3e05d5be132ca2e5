DROP INDEX checkins_one_open;
