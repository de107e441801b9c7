CREATE OR REPLACE FUNCTION public.ledger_check_balanced()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$DECLARE unbalanced text; BEGIN SELECT a."currency" INTO unbalanced FROM "ledger_entries" e JOIN "ledger_accounts" a ON a."id" = e."account_id" WHERE e."transaction_id" = NEW."transaction_id" GROUP BY a."currency" HAVING sum(e."amount_minor") <> 0 LIMIT 1; IF unbalanced IS NOT NULL THEN RAISE EXCEPTION 'ledger transaction % does not balance in %', NEW."transaction_id", unbalanced USING ERRCODE = 'check_violation'; END IF; RETURN NULL; END$function$;
