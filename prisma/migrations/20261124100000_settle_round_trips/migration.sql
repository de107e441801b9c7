-- Fewer round trips on the money paths (README, "Measured"): each statement
-- sent from Node waits its turn on a busy machine, so a settlement batch that
-- took fourteen of them spent most of its time waiting, not working.

-- Posts balanced ledger transactions (lib/ledger/post.ts checks the balance
-- and orders the entries, debits first): the transactions whose idempotency
-- key is new, the accounts their entries open, and the entries in the order
-- given, in one call. Answers the keys actually posted.
CREATE FUNCTION "ledger_post_many"(p jsonb) RETURNS SETOF text
LANGUAGE plpgsql AS E'
DECLARE
  fresh jsonb\073
  first_at timestamptz\073
BEGIN
  WITH ins AS (
    INSERT INTO "ledger_transactions" ("id", "idempotency_key", "kind", "user_id", "invoice_id", "memo", "created_at")
    SELECT gen_random_uuid(), x.key, x.kind, x.user_id, x.invoice_id, x.memo, x.at
      FROM jsonb_to_recordset(p) AS x(key text, kind text, user_id uuid, invoice_id uuid, memo text, at timestamptz)
    ON CONFLICT ("idempotency_key") DO NOTHING RETURNING "id", "idempotency_key"
  ) SELECT jsonb_object_agg(ins."idempotency_key", ins."id") INTO fresh FROM ins\073
  IF fresh IS NULL THEN
    RETURN\073
  END IF\073
  SELECT (x->>''at'')::timestamptz INTO first_at FROM jsonb_array_elements(p) AS x WHERE fresh ? (x->>''key'') LIMIT 1\073

  -- Accounts used for the first time are opened: racing first postings open one.
  INSERT INTO "ledger_accounts" ("id", "kind", "user_id", "currency", "created_at")
  SELECT gen_random_uuid(), a.kind::"LedgerAccountKind", a.user_id, a.currency, first_at
    FROM (SELECT DISTINCT e.kind, e.user_id, e.currency
            FROM jsonb_array_elements(p) AS x, jsonb_to_recordset(x->''entries'') AS e(kind text, user_id uuid, currency text)
           WHERE fresh ? (x->>''key'') AND e.user_id IS NOT NULL) a
   ORDER BY a.user_id, a.kind
  ON CONFLICT ("kind", "user_id", "currency") DO NOTHING\073
  INSERT INTO "ledger_accounts" ("id", "kind", "currency", "created_at")
  SELECT gen_random_uuid(), a.kind::"LedgerAccountKind", a.currency, first_at
    FROM (SELECT DISTINCT e.kind, e.currency
            FROM jsonb_array_elements(p) AS x, jsonb_to_recordset(x->''entries'') AS e(kind text, user_id uuid, currency text)
           WHERE fresh ? (x->>''key'') AND e.user_id IS NULL) a
  ON CONFLICT ("kind", "currency") WHERE "user_id" IS NULL DO NOTHING\073

  INSERT INTO "ledger_entries" ("transaction_id", "account_id", "amount_minor")
  SELECT (fresh->>(x->>''key''))::uuid,
         CASE WHEN e.user_id IS NULL
           THEN (SELECT a."id" FROM "ledger_accounts" a WHERE a."kind" = e.kind::"LedgerAccountKind" AND a."user_id" IS NULL AND a."currency" = e.currency)
           ELSE (SELECT a."id" FROM "ledger_accounts" a WHERE a."kind" = e.kind::"LedgerAccountKind" AND a."user_id" = e.user_id AND a."currency" = e.currency)
         END,
         e.amount
    FROM jsonb_array_elements(p) AS x, jsonb_to_recordset(x->''entries'') AS e(kind text, user_id uuid, currency text, amount bigint, i int)
   WHERE fresh ? (x->>''key'')
   ORDER BY e.i\073
  RETURN QUERY SELECT jsonb_object_keys(fresh)\073
END ';

-- BILL-3, what a pay-as-you-go settlement batch reads, in one call: it takes
-- the balance locks of the users (p.locks, the keys of
-- lib/api-billing/balance-lock.ts, in the same order), then reads, after them,
-- the calls settled before (p.calls), the cash and bonus balances, the live
-- packs and the holds of p.users.
CREATE FUNCTION "api_settle_state"(p jsonb) RETURNS jsonb
LANGUAGE plpgsql AS E'
DECLARE
  k text\073
  p_calls jsonb := p->''calls''\073
  p_users uuid[] := ARRAY(SELECT jsonb_array_elements_text(p->''users''))::uuid[]\073
  p_earliest timestamptz := (p->>''earliest'')::timestamptz\073
BEGIN
  FOR k IN SELECT jsonb_array_elements_text(p->''locks'') ORDER BY 1 LOOP
    PERFORM pg_advisory_xact_lock(hashtextextended(k, 0))\073
  END LOOP\073
  RETURN jsonb_build_object(
    ''settled'', (SELECT COALESCE(jsonb_agg(c."user_id"::text || '':'' || c."request_id"), ''[]'') FROM "api_calls" c
                  WHERE (c."user_id", c."request_id") IN (SELECT x.u, x.r FROM jsonb_to_recordset(p_calls) AS x(u uuid, r text))),
    ''balances'', (SELECT COALESCE(jsonb_agg(jsonb_build_object(''user_id'', a."user_id", ''currency'', a."currency", ''kind'', a."kind", ''balance_minor'', a."balance_minor"::text)), ''[]'')
                   FROM "ledger_accounts" a WHERE a."user_id" = ANY(p_users) AND a."kind"::text IN (''user_cash'', ''user_credits'')),
    ''packs'', (SELECT COALESCE(jsonb_agg(jsonb_build_object(''id'', r."id", ''user_id'', r."user_id", ''currency'', r."currency", ''remaining_minor'', r."remaining_minor"::text,
                                                            ''expires_at'', r."expires_at", ''created_at'', r."created_at")), ''[]'')
                FROM "resource_packs" r WHERE r."user_id" = ANY(p_users) AND r."closed_at" IS NULL AND r."activated_at" IS NOT NULL
                 AND r."expires_at" > p_earliest AND r."remaining_minor" > 0),
    ''holds'', (SELECT COALESCE(jsonb_agg(jsonb_build_object(''user_id'', h."user_id", ''request_id'', h."request_id", ''currency'', h."currency",
                                                            ''amount_minor'', h."amount_minor"::text, ''expires_at'', h."expires_at")), ''[]'')
                FROM "api_holds" h WHERE h."user_id" = ANY(p_users)))\073
END ';

-- BILL-3, what a settlement batch writes, in one call: what it took from each
-- pack (p.takes), the ledger postings, the calls with who paid, and the holds
-- removed (p.done). A pack closed meanwhile (the expiry sweep) fails the
-- batch, which is then retried and reads it again.
CREATE FUNCTION "api_settle_write"(p jsonb) RETURNS void
LANGUAGE plpgsql AS E'
DECLARE
  moved int := 0\073
  p_takes jsonb := p->''takes''\073
  p_calls jsonb := p->''calls''\073
  p_done jsonb := p->''done''\073
BEGIN
  IF jsonb_array_length(p_takes) > 0 THEN
    UPDATE "resource_packs" r SET "remaining_minor" = r."remaining_minor" - x.amount
      FROM jsonb_to_recordset(p_takes) AS x(id uuid, amount bigint)
     WHERE r."id" = x.id AND r."closed_at" IS NULL\073
    GET DIAGNOSTICS moved = ROW_COUNT\073
    IF moved <> jsonb_array_length(p_takes) THEN
      RAISE EXCEPTION ''a resource pack closed while calls were settled''\073
    END IF\073
  END IF\073
  PERFORM "ledger_post_many"(p->''postings'')\073
  INSERT INTO "api_calls" ("user_id", "request_id", "key_id", "model", "currency", "input_tokens", "output_tokens", "cached_tokens",
      "fee_minor", "pack_minor", "cash_minor", "bonus_minor", "uncollected_minor", "parts", "at")
  SELECT x.user_id, x.request_id, x.key_id, x.model, x.currency, x.input, x.output, x.cached, x.fee, x.pack, x.cash, x.bonus, x.uncollected, x.parts, x.at
    FROM jsonb_to_recordset(p_calls) AS x(user_id uuid, request_id text, key_id uuid, model text, currency text, input int, output int,
      cached int, fee bigint, pack bigint, cash bigint, bonus bigint, uncollected bigint, parts jsonb, at timestamptz)\073
  DELETE FROM "api_holds" h USING jsonb_to_recordset(p_done) AS x(u uuid, r text)
   WHERE h."user_id" = x.u AND h."request_id" = x.r\073
END ';

-- BILL-3, holds for calls that arrive together, in one call and one commit
-- (lib/api-billing/context.ts batches them): each is api_reserve, in the
-- order of their lock keys, so two batches (or a batch and a settlement,
-- which locks in the same order) never wait on each other in a circle.
CREATE FUNCTION "api_reserve_many"(p jsonb) RETURNS TABLE (i int, outcome text)
LANGUAGE plpgsql AS E'
DECLARE
  x record\073
BEGIN
  FOR x IN
    SELECT * FROM jsonb_to_recordset(p) AS j(i int, u uuid, c text, r text, k uuid, m text, a bigint, t timestamptz, e timestamptz)
    ORDER BY ''api_balance:'' || j.u::text || '':'' || j.c, j.i
  LOOP
    i := x.i\073
    outcome := "api_reserve"(x.u, x.c, x.r, x.k, x.m, x.a, x.t, x.e)\073
    RETURN NEXT\073
  END LOOP\073
END ';
