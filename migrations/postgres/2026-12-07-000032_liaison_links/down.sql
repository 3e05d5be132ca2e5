DROP TABLE liaison_contacts;
DROP TABLE liaison_links;
