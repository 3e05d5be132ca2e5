-- Sealed values cannot be opened by SQL: codes are dropped, the columns go back.
DELETE FROM otp_codes;
ALTER TABLE otp_codes RENAME COLUMN phone_hash TO phone;
ALTER TABLE checkins DROP COLUMN position_enc;
DROP INDEX constituents_phone_hash;
ALTER TABLE constituents DROP COLUMN phone_hash;
