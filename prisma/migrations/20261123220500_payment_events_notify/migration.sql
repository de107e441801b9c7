-- Hand-written. A stored processor event wakes the job worker (LISTEN
-- "payment_events"), which processes events in batches on its own core while
-- the web process only verifies and stores them. One notification per
-- statement, carrying nothing: the worker reads what is waiting from the table.
CREATE FUNCTION "payment_events_wake"() RETURNS trigger LANGUAGE plpgsql AS
  E'BEGIN PERFORM pg_notify(''payment_events'', '''')\073 RETURN NULL\073 END';
CREATE TRIGGER "payment_events_wake" AFTER INSERT ON "payment_events"
  FOR EACH STATEMENT EXECUTE FUNCTION "payment_events_wake"();
