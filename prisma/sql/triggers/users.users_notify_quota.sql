CREATE OR REPLACE TRIGGER users_notify_quota AFTER UPDATE OF status ON users FOR EACH ROW WHEN (old.status IS DISTINCT FROM new.status) EXECUTE FUNCTION quota_notify_user();
