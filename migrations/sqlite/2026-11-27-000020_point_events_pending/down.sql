DROP INDEX point_events_pending;
