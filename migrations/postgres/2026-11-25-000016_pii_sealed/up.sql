-- Personal data sealed at rest (PIPL). Constituents' phone numbers become AES-256-GCM sealed
-- values with a keyed hash beside them for lookups; check-in positions move into one sealed
-- column (`latitude`/`longitude` stay for rows written before this, and are emptied by the
-- sealing pass at start-up); sign-in codes are looked up by the keyed hash of the phone only
-- (pending codes are dropped: they live five minutes, a constituent asks again).
ALTER TABLE constituents ADD COLUMN phone_hash TEXT;
CREATE UNIQUE INDEX constituents_phone_hash ON constituents (phone_hash);
ALTER TABLE checkins ADD COLUMN position_enc TEXT;
DELETE FROM otp_codes;
ALTER TABLE otp_codes RENAME COLUMN phone TO phone_hash;
