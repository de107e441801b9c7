CREATE OR REPLACE FUNCTION public.ledger_post_many(p jsonb)
 RETURNS SETOF text
 LANGUAGE plpgsql
AS $function$
DECLARE
  fresh jsonb;
  first_at timestamptz;
BEGIN
  WITH ins AS (
    INSERT INTO "ledger_transactions" ("id", "idempotency_key", "kind", "user_id", "invoice_id", "memo", "created_at")
    SELECT gen_random_uuid(), x.key, x.kind, x.user_id, x.invoice_id, x.memo, x.at
      FROM jsonb_to_recordset(p) AS x(key text, kind text, user_id uuid, invoice_id uuid, memo text, at timestamptz)
    ON CONFLICT ("idempotency_key") DO NOTHING RETURNING "id", "idempotency_key"
  ) SELECT jsonb_object_agg(ins."idempotency_key", ins."id") INTO fresh FROM ins;
  IF fresh IS NULL THEN
    RETURN;
  END IF;
  SELECT (x->>'at')::timestamptz INTO first_at FROM jsonb_array_elements(p) AS x WHERE fresh ? (x->>'key') LIMIT 1;

  -- Accounts used for the first time are opened: racing first postings open one.
  INSERT INTO "ledger_accounts" ("id", "kind", "user_id", "currency", "created_at")
  SELECT gen_random_uuid(), a.kind::"LedgerAccountKind", a.user_id, a.currency, first_at
    FROM (SELECT DISTINCT e.kind, e.user_id, e.currency
            FROM jsonb_array_elements(p) AS x, jsonb_to_recordset(x->'entries') AS e(kind text, user_id uuid, currency text)
           WHERE fresh ? (x->>'key') AND e.user_id IS NOT NULL) a
   ORDER BY a.user_id, a.kind
  ON CONFLICT ("kind", "user_id", "currency") DO NOTHING;
  INSERT INTO "ledger_accounts" ("id", "kind", "currency", "created_at")
  SELECT gen_random_uuid(), a.kind::"LedgerAccountKind", a.currency, first_at
    FROM (SELECT DISTINCT e.kind, e.currency
            FROM jsonb_array_elements(p) AS x, jsonb_to_recordset(x->'entries') AS e(kind text, user_id uuid, currency text)
           WHERE fresh ? (x->>'key') AND e.user_id IS NULL) a
  ON CONFLICT ("kind", "currency") WHERE "user_id" IS NULL DO NOTHING;

  INSERT INTO "ledger_entries" ("transaction_id", "account_id", "amount_minor")
  SELECT (fresh->>(x->>'key'))::uuid,
         CASE WHEN e.user_id IS NULL
           THEN (SELECT a."id" FROM "ledger_accounts" a WHERE a."kind" = e.kind::"LedgerAccountKind" AND a."user_id" IS NULL AND a."currency" = e.currency)
           ELSE (SELECT a."id" FROM "ledger_accounts" a WHERE a."kind" = e.kind::"LedgerAccountKind" AND a."user_id" = e.user_id AND a."currency" = e.currency)
         END,
         e.amount
    FROM jsonb_array_elements(p) AS x, jsonb_to_recordset(x->'entries') AS e(kind text, user_id uuid, currency text, amount bigint, i int)
   WHERE fresh ? (x->>'key')
   ORDER BY e.i;
  RETURN QUERY SELECT jsonb_object_keys(fresh);
END $function$;
