-- How a case filed for someone came in: at a station's desk (walk-in, phone call, letter, a
-- reception) or collected by a deputy; who filed it, and the constituent's consent when their
-- phone was taken down.
CREATE TABLE opinion_intakes (
    opinion_id BIGINT PRIMARY KEY REFERENCES opinions(id),
    channel TEXT NOT NULL,
    station_id BIGINT,
    filed_by BIGINT NOT NULL REFERENCES accounts(id),
    filed_by_role TEXT NOT NULL,
    consent TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX opinion_intakes_station ON opinion_intakes (station_id, created_at);
