-- Audit rows are kept at least 183 days (PIPL): the database refuses every UPDATE, and a DELETE
-- of a row younger than that; the retention job removes only older rows.
DROP TRIGGER audit_log_no_delete;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
WHEN OLD.at >= datetime('now', '-183 days')
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only (rows are kept at least 183 days)');
END;
CREATE INDEX audit_log_at ON audit_log (at);
