DROP TABLE pii_pending;
