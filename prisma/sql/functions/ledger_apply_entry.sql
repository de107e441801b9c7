CREATE OR REPLACE FUNCTION public.ledger_apply_entry()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$BEGIN UPDATE "ledger_accounts" SET "balance_minor" = "balance_minor" + NEW."amount_minor" WHERE "id" = NEW."account_id" AND "user_id" IS NOT NULL; RETURN NEW; END$function$;
