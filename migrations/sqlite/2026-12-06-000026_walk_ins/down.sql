DROP TABLE opinion_intakes;
