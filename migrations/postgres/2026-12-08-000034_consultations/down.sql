DROP TABLE consultation_answers;
DROP TABLE consultation_participation;
DROP TABLE consultation_comments;
DROP TABLE consultation_audience;
DROP TABLE consultation_points;
DROP TABLE consultation_questions;
DROP TABLE consultation_articles;
DROP TABLE consultations;
