ALTER TABLE evaluation_settings DROP COLUMN duty_report_due_year;
DROP TABLE duty_report_tallies;
DROP TABLE duty_report_ratings;
DROP TABLE duty_reports;
