-- An instance that starts (or follows the cache bus again after an outage) loads the sessions
-- ended within an access token's life: refresh tokens revoked since then. Few rows are revoked
-- (logouts, reused tokens), so a partial index keeps that lookup small at any size.
CREATE INDEX refresh_tokens_revoked_at ON refresh_tokens (revoked_at) WHERE revoked_at IS NOT NULL;
