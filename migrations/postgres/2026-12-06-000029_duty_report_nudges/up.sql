-- 述职评议: a deputy who, in the year by which the congress requires a report, has none
-- scheduled is told so once that year.
CREATE TABLE duty_report_nudges (
    deputy_id BIGINT NOT NULL REFERENCES deputies(id),
    year INTEGER NOT NULL,
    sent_at TIMESTAMP NOT NULL,
    PRIMARY KEY (deputy_id, year)
);
