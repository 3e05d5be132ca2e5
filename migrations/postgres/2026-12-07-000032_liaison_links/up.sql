-- 双联系: a member (a deputy of the congress — a standing-committee member or a higher-level
-- deputy — or a staff account of the congress) linked for a term with a deputy or a deputy group,
-- with a yearly contact target; either side logs their contacts.
CREATE TABLE liaison_links (
    id BIGSERIAL PRIMARY KEY,
    region_id BIGINT NOT NULL REFERENCES regions(id),
    region_path TEXT NOT NULL,
    term INTEGER NOT NULL,
    member_deputy_id BIGINT REFERENCES deputies(id),
    member_account_id BIGINT REFERENCES accounts(id),
    member_key TEXT NOT NULL,
    deputy_id BIGINT REFERENCES deputies(id),
    group_id BIGINT REFERENCES deputy_groups(id),
    target_key TEXT NOT NULL,
    yearly_target INTEGER NOT NULL,
    status TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES accounts(id),
    created_at TIMESTAMP NOT NULL,
    ended_at TIMESTAMP
);
-- One active link per pair and term.
CREATE UNIQUE INDEX liaison_links_active ON liaison_links (member_key, target_key, term) WHERE status = 'active';
CREATE INDEX liaison_links_scope ON liaison_links (region_path, term);
CREATE TABLE liaison_contacts (
    id BIGSERIAL PRIMARY KEY,
    link_id BIGINT NOT NULL REFERENCES liaison_links(id),
    side TEXT NOT NULL,
    deputy_id BIGINT REFERENCES deputies(id),
    contact_on TEXT NOT NULL,
    channel TEXT NOT NULL,
    summary TEXT NOT NULL,
    issues TEXT NOT NULL DEFAULT '',
    logged_by BIGINT NOT NULL REFERENCES accounts(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX liaison_contacts_link ON liaison_contacts (link_id, contact_on);
