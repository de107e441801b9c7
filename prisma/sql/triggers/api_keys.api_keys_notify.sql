CREATE OR REPLACE TRIGGER api_keys_notify AFTER UPDATE OF revoked_at ON api_keys FOR EACH ROW WHEN (old.revoked_at IS DISTINCT FROM new.revoked_at) EXECUTE FUNCTION quota_notify_key();
