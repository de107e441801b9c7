CREATE OR REPLACE FUNCTION public.ledger_refuse_balance_write()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$BEGIN RAISE EXCEPTION 'ledger balances are derived from entries' USING ERRCODE = 'insufficient_privilege'; END$function$;
