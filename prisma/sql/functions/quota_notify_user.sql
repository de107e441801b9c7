CREATE OR REPLACE FUNCTION public.quota_notify_user()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
  PERFORM pg_notify('quota_cache', 'user:' || NEW."id");
  RETURN NEW;
END $function$;
