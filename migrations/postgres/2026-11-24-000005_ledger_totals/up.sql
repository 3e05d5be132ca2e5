-- One total per deputy and year, kept in the award's transaction: rankings read it by index.
CREATE TABLE ledger_totals (
    deputy_id BIGINT NOT NULL,
    year INTEGER NOT NULL,
    points BIGINT NOT NULL,
    PRIMARY KEY (deputy_id, year)
);
CREATE INDEX ledger_totals_rank ON ledger_totals (year, points);
INSERT INTO ledger_totals (deputy_id, year, points)
    SELECT deputy_id, year, SUM(points) FROM ledger_balances GROUP BY deputy_id, year;
