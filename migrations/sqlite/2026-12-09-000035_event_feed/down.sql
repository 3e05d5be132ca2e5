DROP TABLE open_data_settings;
DROP TABLE client_secrets;
DROP TABLE feed_subscriptions;
DROP TABLE feed_head;
DROP TABLE feed_events;
