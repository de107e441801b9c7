CREATE OR REPLACE TRIGGER subscriptions_notify_quota AFTER INSERT OR UPDATE ON subscriptions FOR EACH ROW EXECUTE FUNCTION quota_notify_subscription();
