-- Settings every instance on this database must share (the ranking mode, whether Redis is
-- used): recorded by the first instance to start, checked by every later one.
CREATE TABLE installation_settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
