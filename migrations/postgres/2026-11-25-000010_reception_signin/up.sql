-- Constituents of the cloud reception room: signed in with a phone number and a one-time code
-- sent by SMS; their consent to the privacy notice is kept with its version (PIPL).
CREATE TABLE constituents (
    id BIGSERIAL PRIMARY KEY,
    account_id BIGINT NOT NULL UNIQUE REFERENCES accounts(id),
    phone TEXT NOT NULL UNIQUE,
    consent_version TEXT NOT NULL,
    consented_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE otp_codes (
    id BIGSERIAL PRIMARY KEY,
    phone TEXT NOT NULL,
    -- SHA-256 of phone:code
    code_hash TEXT NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    -- wrong tries; the fifth burns the code
    attempts INTEGER NOT NULL,
    used_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX otp_codes_phone ON otp_codes (phone, id);
