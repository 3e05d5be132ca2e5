DROP TABLE push_outbox;
DROP TABLE devices;
DROP TABLE inbox;
DROP TABLE notices;
