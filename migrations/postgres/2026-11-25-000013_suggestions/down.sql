DROP TABLE suggestion_attachments;
DROP TABLE suggestion_urges;
DROP TABLE suggestion_events;
DROP TABLE suggestion_contacts;
DROP TABLE suggestion_units;
DROP TABLE suggestion_cosigners;
DROP TABLE suggestions;
