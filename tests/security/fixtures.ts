import { randomUUID } from "node:crypto";
import pg from "pg";
import { testClock } from "../../lib/clock/clock";
import { createDb } from "../../lib/db/client";
import { createKey } from "../../lib/quota";

/** The attacker: a plain demo subscriber with no plan, no keys and no invoices of her own. */
export const ATTACKER = { email: "carol@example.com", password: "codeplan-demo" };
/** The key-holder whose own key sends the malformed model requests (a Pro subscriber). */
export const KEY_HOLDER = "alice@example.com";

/** Other people's ids, found in the app's database, for the attacker to reach for. */
export type Victims = {
  userId: string;
  invoiceId: string;
  creditNoteId: string;
  keyId: string;
  violationId: string;
  paymentId: string;
  referralId: string;
  subscriptionId: string;
  referralCode: string;
};

async function one(c: pg.Client, sql: string, attackerId: string): Promise<string | undefined> {
  return (await c.query<{ id: string }>(sql, [attackerId])).rows[0]?.id;
}

/**
 * The first row of each kind that is not the attacker's (alice's first, the
 * seed gives her the most). A kind nobody has yet gets a random id: the
 * request must be refused just the same.
 */
export async function findVictims(c: pg.Client): Promise<Victims> {
  const attacker = (await c.query<{ id: string }>("SELECT id FROM users WHERE email = $1", [ATTACKER.email])).rows[0]
    ?.id;
  if (!attacker) throw new Error(`the sweep's attacker ${ATTACKER.email} is not in the database (demo seed)`);
  const alice = "(SELECT id FROM users WHERE email = 'alice@example.com')";
  const ofOthers = (table: string, owner: string, where = "true") =>
    `SELECT t.id::text AS id FROM ${table} t WHERE t.${owner} <> $1 AND ${where} ORDER BY (t.${owner} = ${alice}) DESC, t.id LIMIT 1`;
  const or = (v: string | undefined) => v ?? randomUUID();
  return {
    userId: or(
      await one(
        c,
        `SELECT id::text AS id FROM users WHERE id <> $1 AND role = 'subscriber' ORDER BY (id = ${alice}) DESC LIMIT 1`,
        attacker,
      ),
    ),
    invoiceId: or(await one(c, ofOthers("invoices", "user_id", "t.status = 'paid'"), attacker)),
    creditNoteId: or(await one(c, ofOthers("credit_notes", "user_id"), attacker)),
    keyId: or(await one(c, ofOthers("api_keys", "user_id", "t.revoked_at IS NULL"), attacker)),
    violationId: or(await one(c, ofOthers("policy_violations", "user_id"), attacker)),
    paymentId: or(
      await one(
        c,
        `SELECT p.id::text AS id FROM payments p JOIN invoices i ON i.id = p.invoice_id WHERE i.user_id <> $1 LIMIT 1`,
        attacker,
      ),
    ),
    referralId: or(
      await one(c, `SELECT id::text AS id FROM referrals WHERE inviter_id <> $1 AND friend_id <> $1 LIMIT 1`, attacker),
    ),
    subscriptionId: or(await one(c, ofOthers("subscriptions", "user_id"), attacker)),
    referralCode:
      (await c.query<{ code: string }>("SELECT code FROM referral_codes ORDER BY code LIMIT 1")).rows[0]?.code ??
      "nosuchcode",
  };
}

/** A live key of the key-holder's, made before the sweep's first snapshot (its secret is shown only once). */
export async function keyHolderSecret(databaseUrl: string): Promise<string> {
  const db = createDb(databaseUrl);
  try {
    const user = await db.user.findUniqueOrThrow({ where: { email: KEY_HOLDER }, select: { id: true } });
    return (await createKey(db, user.id, "security sweep", await testClock(db).now())).secret;
  } finally {
    await db.$disconnect();
  }
}
