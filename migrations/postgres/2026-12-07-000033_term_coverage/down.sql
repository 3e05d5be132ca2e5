ALTER TABLE liaison_contacts DROP COLUMN opinion_ticket;
ALTER TABLE liaison_contacts DROP COLUMN suggestion_id;
DROP TABLE course_completions;
DROP TABLE course_attempts;
DROP TABLE course_opens;
DROP TABLE course_questions;
DROP TABLE courses;
DROP TABLE fixed_contact_visits;
DROP TABLE fixed_contacts;
