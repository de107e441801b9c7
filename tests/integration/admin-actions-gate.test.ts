import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { SessionClaims } from "../../lib/auth/session-gate";
import { at, makeUser, wallet } from "../support/billing";
import { setupFreshDatabase } from "../support/database";

// The one stand-in: which account the session cookie names. Decoding a
// next-auth cookie needs a Next request; the browser journey
// (tests/e2e/roles.spec.ts) covers the real cookie. Everything the gate and
// the actions read and write is the real database.
const session = vi.hoisted(() => ({ claims: null as SessionClaims | null }));
vi.mock("../../lib/auth/session-claims", () => ({ readSessionClaims: async () => session.claims }));

const { adjustCreditsAction, refundAction } = await import("../../app/admin/customers/[id]/actions");
const { reviewReferralsAction } = await import("../../app/admin/referrals/actions");
const { decideViolationAction, liftBanAction } = await import("../../app/admin/violations/actions");
const { advanceClockAction } = await import("../../app/admin/dev/clock/actions");
const { signOutEverywhere } = await import("../../lib/auth/sign-out-everywhere");

const t = setupFreshDatabase();
const now = at("2027-05-01T00:00:00Z");

/** Every row of every table, as one fingerprint per table: a refused action changes none. */
async function everything(): Promise<Record<string, string>> {
  const tables = await t.db.$queryRawUnsafe<{ name: string }[]>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
  );
  const out: Record<string, string> = {};
  for (const { name } of tables) {
    const [row] = await t.db.$queryRawUnsafe<{ h: string }[]>(
      `SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS h FROM "${name}" x`,
    );
    out[name] = row.h;
  }
  return out;
}

function form(fields: Record<string, string | string[]>) {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) f.append(k, one);
  return f;
}

let customerId: string;
let bannedId: string;

beforeEach(async () => {
  customerId = await makeUser(t.db, now);
  bannedId = await makeUser(t.db, now);
  await t.db.user.update({ where: { id: bannedId }, data: { status: "banned" } });
});

/** Each admin action with input it would act on, were the caller an admin. */
const attempts = () => ({
  adjustCredits: () =>
    adjustCreditsAction(
      null,
      form({ userId: customerId, direction: "add", amount: "25", reason: "goodwill credit", requestId: randomUUID() }),
    ),
  refund: () =>
    refundAction(null, form({ userId: customerId, paymentId: randomUUID(), amount: "5", reason: "special case" })),
  reviewReferrals: () =>
    reviewReferralsAction(null, form({ action: "release", referralIds: [randomUUID()], reason: "" })),
  decideViolation: () =>
    decideViolationAction(null, form({ violationId: randomUUID(), decision: "reverse", reason: "a mistake" })),
  liftBan: () => liftBanAction(null, form({ userId: bannedId, reason: "reviewed and cleared", back: "queue" })),
  advanceClock: () => advanceClockAction(null, form({ by: String(3600_000) })),
});

async function admin() {
  const u = await t.db.user.create({
    data: { email: `admin-${randomUUID()}@example.test`, role: "admin", createdAt: now, updatedAt: now },
  });
  return { userId: u.id, sessionVersion: u.sessionVersion };
}

describe("SEC-1: admin server actions check the caller against the database themselves", () => {
  const refusedCallers: [string, () => Promise<SessionClaims | null>][] = [
    [
      "an admin demoted in the database",
      async () => {
        const c = await admin();
        await t.db.user.update({ where: { id: c.userId }, data: { role: "subscriber" } });
        return c;
      },
    ],
    [
      "a banned admin",
      async () => {
        const c = await admin();
        await t.db.user.update({ where: { id: c.userId }, data: { status: "banned" } });
        return c;
      },
    ],
    [
      "a deleted admin",
      async () => {
        const c = await admin();
        await t.db.user.delete({ where: { id: c.userId } });
        return c;
      },
    ],
    [
      "an admin who signed out everywhere since (an old token)",
      async () => {
        const c = await admin();
        await signOutEverywhere(t.db, c.userId, now);
        return c;
      },
    ],
    ["a visitor without a session", async () => null],
  ];

  for (const [who, make] of refusedCallers) {
    it(`SEC-1: ${who} is refused by every admin action, which changes nothing`, async () => {
      session.claims = await make();
      for (const [name, run] of Object.entries(attempts())) {
        const before = await everything();
        expect(await run(), name).toEqual({ ok: false, error: "forbidden" });
        expect(await everything(), name).toEqual(before);
      }
    });
  }

  it("SEC-1: the same request from a current admin goes through (the refusals above are the gate's)", async () => {
    session.claims = await admin();
    // On success the action redirects, which Next does by throwing; the credits are posted before that.
    await expect(attempts().adjustCredits()).rejects.toThrow();
    expect((await wallet(t.db, customerId)).creditsMinor).toBe(2500n);
  });
});
