DROP INDEX audit_log_at;
DROP TRIGGER audit_log_append_only ON audit_log;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION lvzhi_append_only();
DROP FUNCTION lvzhi_audit_retained();
