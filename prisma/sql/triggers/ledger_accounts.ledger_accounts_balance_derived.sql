CREATE OR REPLACE TRIGGER ledger_accounts_balance_derived BEFORE UPDATE OF balance_minor ON ledger_accounts FOR EACH ROW WHEN (pg_trigger_depth() = 0) EXECUTE FUNCTION ledger_refuse_balance_write();
