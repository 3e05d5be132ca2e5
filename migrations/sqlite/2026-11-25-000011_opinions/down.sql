DROP TABLE ticket_days;
DROP TABLE opinion_events;
DROP TABLE opinions;
