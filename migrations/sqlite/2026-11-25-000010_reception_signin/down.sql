DROP TABLE otp_codes;
DROP TABLE constituents;
