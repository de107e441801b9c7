-- QUOTA-8: concurrency slots for calls that arrive together, in one round
-- trip and one commit: quota_acquire_slot for each, in subscription order,
-- the order quota_consume locks the counter rows in, so that the two never
-- wait on each other in a cycle. Committed without waiting for the disk
-- flush, as holds are: a slot lost in a database crash belonged to a call
-- the crash ended anyway, and it costs no money or quota (a flush costs
-- milliseconds on this kind of disk, per batch).
CREATE FUNCTION "quota_acquire_slots"(p jsonb) RETURNS TABLE (i int, outcome text, held int)
LANGUAGE plpgsql AS E'
DECLARE
  x record\073
  got record\073
BEGIN
  PERFORM set_config(''synchronous_commit'', ''off'', true)\073
  FOR x IN
    SELECT * FROM jsonb_to_recordset(p) AS j(n int, s uuid, k uuid, q text, l int, t timestamptz, u timestamptz)
    ORDER BY j.s, j.n
  LOOP
    SELECT a.outcome AS o, a.held AS h INTO got FROM "quota_acquire_slot"(x.s, x.k, x.q, x.l, x.t, x.u) a\073
    i := x.n\073
    outcome := got.o\073
    held := got.h\073
    RETURN NEXT\073
  END LOOP\073
END ';
