-- Audit rows are kept at least 183 days (PIPL): the database refuses every UPDATE, and a DELETE
-- of a row younger than that, whoever asks; the retention job removes only older rows.
CREATE FUNCTION lvzhi_audit_retained() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND OLD.at < (now() AT TIME ZONE 'UTC') - INTERVAL '183 days' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_log is append-only (rows are kept at least 183 days)';
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER audit_log_append_only ON audit_log;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION lvzhi_audit_retained();
CREATE INDEX audit_log_at ON audit_log (at);
