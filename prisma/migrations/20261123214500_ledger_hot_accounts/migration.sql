-- Hand-written. System accounts (revenue, payments clearing, promotions,
-- refunds) take an entry from nearly every posting: keeping their balance in
-- a row made every payment in the system wait for that one row lock (a
-- webhook benchmark measured 38 events/s). Their balances are now the sum of
-- their entries, read when needed, and the stored balance is kept for user
-- accounts only, where the CHECK that refuses a negative balance needs it
-- (WALLET-3). A CHECK states it: a system account stores no balance.
CREATE OR REPLACE FUNCTION "ledger_apply_entry"() RETURNS trigger LANGUAGE plpgsql AS
  E'BEGIN UPDATE "ledger_accounts" SET "balance_minor" = "balance_minor" + NEW."amount_minor" WHERE "id" = NEW."account_id" AND "user_id" IS NOT NULL\073 RETURN NEW\073 END';

ALTER TABLE "ledger_accounts" DISABLE TRIGGER "ledger_accounts_balance_derived";
UPDATE "ledger_accounts" SET "balance_minor" = 0 WHERE "user_id" IS NULL;
ALTER TABLE "ledger_accounts" ENABLE TRIGGER "ledger_accounts_balance_derived";

ALTER TABLE "ledger_accounts" ADD CONSTRAINT "ledger_accounts_system_balance_derived" CHECK ("user_id" IS NOT NULL OR "balance_minor" = 0);
