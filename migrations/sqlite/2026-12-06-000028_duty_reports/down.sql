DROP TABLE duty_report_ratings;
DROP TABLE duty_reports;
