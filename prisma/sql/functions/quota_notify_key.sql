CREATE OR REPLACE FUNCTION public.quota_notify_key()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
  PERFORM pg_notify('quota_cache', 'key:' || NEW."hash");
  RETURN NEW;
END $function$;
