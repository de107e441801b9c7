CREATE OR REPLACE FUNCTION public.quota_notify_subscription()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
  PERFORM pg_notify('quota_cache', 'user:' || NEW."user_id");
  RETURN NEW;
END $function$;
