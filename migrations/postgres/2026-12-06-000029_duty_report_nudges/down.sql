DROP TABLE duty_report_nudges;
