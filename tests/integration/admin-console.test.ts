import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { customerView, keyPrefixOf, searchCustomers, usageByDay } from "../../lib/admin";
import { queryAudit } from "../../lib/audit/query";
import { recordAudit } from "../../lib/audit/record";
import { adjustCredits, CreditAdjustmentError } from "../../lib/ledger";
import { createKey } from "../../lib/quota";
import { at, balanceMismatches, giveCredits, makeUser, wallet } from "../support/billing";
import { setupFreshDatabase } from "../support/database";

const t = setupFreshDatabase();

async function person(now: Date, email: string, name: string | null) {
  const u = await t.db.user.create({ data: { email, name, createdAt: now, updatedAt: now } });
  return u.id;
}

async function refusal(p: Promise<unknown>): Promise<CreditAdjustmentError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof CreditAdjustmentError) return e;
    throw e;
  }
  throw new Error("expected a CreditAdjustmentError, the adjustment went through");
}

/** Everything an adjustment could write, to show a refused one wrote nothing. */
async function adjustmentTrace(userId: string) {
  const [credits, transactions, audits] = await Promise.all([
    wallet(t.db, userId),
    t.db.ledgerTransaction.count({ where: { userId } }),
    t.db.auditLog.count({ where: { subjectId: userId } }),
  ]);
  return { credits, transactions, audits };
}

describe("admin console: customer search", () => {
  const now = at("2027-05-01T00:00:00Z");

  it("ADMIN: finds a customer by part of the e-mail, in any case", async () => {
    const id = await person(now, "zoe.search@example.org", "Zoë Search");
    const hits = await searchCustomers(t.db, "ZOE.SEARCH@EXAMPLE");
    expect(hits.map((h) => h.id)).toEqual([id]);
    expect(hits[0]).toMatchObject({ email: "zoe.search@example.org", name: "Zoë Search", tier: null, matchedKeys: [] });
  });

  it("ADMIN: finds a customer by part of the name, in any case", async () => {
    const id = await person(now, "q1@example.org", "Quentin Namesearch");
    expect((await searchCustomers(t.db, "namesEARCH")).map((h) => h.id)).toEqual([id]);
  });

  it("ADMIN: finds a customer by API key prefix as the keys screen shows it, by part of it, or by the whole secret", async () => {
    const userId = await makeUser(t.db, now);
    const { key, secret } = await createKey(t.db, userId, "laptop", now);
    for (const query of [key.prefix, `${key.prefix}…`, key.prefix.slice(0, 7), secret]) {
      const hits = await searchCustomers(t.db, query);
      expect(
        hits.map((h) => h.id),
        query,
      ).toEqual([userId]);
      expect(hits[0].matchedKeys).toEqual([key.prefix]);
    }
  });

  it("ADMIN: a search with LIKE wildcards matches them literally, and an empty search finds nobody", async () => {
    await person(now, "percent@example.org", "Plain Name");
    expect(await searchCustomers(t.db, "%")).toEqual([]);
    expect(await searchCustomers(t.db, "percent_example")).toEqual([]);
    expect(await searchCustomers(t.db, "   ")).toEqual([]);
  });

  it("ADMIN: only text that looks like a key is read as a key prefix", () => {
    expect(keyPrefixOf("cp_AbCdEfGh…")).toBe("cp_AbCdEfGh");
    expect(keyPrefixOf("cp_AbCdEfGhIjKlMnOp")).toBe("cp_AbCdEfGh");
    expect(keyPrefixOf("cp_")).toBeNull();
    expect(keyPrefixOf("alice@example.com")).toBeNull();
  });
});

describe("admin console: credit adjustments (WALLET-2, WALLET-3)", () => {
  const now = at("2027-05-02T00:00:00Z");

  it("ADMIN: adding credits posts to the ledger and audits who, when, why and the balance before and after", async () => {
    const admin = await makeUser(t.db, now);
    const userId = await makeUser(t.db, now);
    await giveCredits(t.db, userId, 500n, now);
    const result = await adjustCredits(t.db, {
      adminId: admin,
      userId,
      currency: "USD",
      amountMinor: 250n,
      reason: "  Outage goodwill ",
      requestId: randomUUID(),
      now,
    });
    expect(result).toEqual({ posted: true, beforeMinor: 500n, afterMinor: 750n });
    expect((await wallet(t.db, userId)).creditsMinor).toBe(750n);
    const audit = await t.db.auditLog.findFirstOrThrow({ where: { actorId: admin, subjectId: userId } });
    expect(audit).toMatchObject({
      action: "wallet.grant_credits",
      subjectType: "user",
      createdAt: now,
      before: { creditsMinor: "500", currency: "USD" },
      after: { creditsMinor: "750", amountMinor: "250", currency: "USD", reason: "Outage goodwill" },
    });
    const movement = (await customerView(t.db, userId))!.movements[0];
    expect(movement).toMatchObject({
      kind: "credit_grant",
      account: "user_credits",
      amountMinor: 250n,
      balanceAfterMinor: 750n,
      memo: "Outage goodwill",
    });
    expect(await balanceMismatches(t.db)).toEqual([]);
  });

  it("ADMIN: removing credits posts a removal back to promotions and audits the balance before and after", async () => {
    const admin = await makeUser(t.db, now);
    const userId = await makeUser(t.db, now);
    await giveCredits(t.db, userId, 500n, now);
    const result = await adjustCredits(t.db, {
      adminId: admin,
      userId,
      currency: "USD",
      amountMinor: -500n,
      reason: "Granted to the wrong account",
      requestId: randomUUID(),
      now,
    });
    expect(result).toEqual({ posted: true, beforeMinor: 500n, afterMinor: 0n });
    expect((await wallet(t.db, userId)).creditsMinor).toBe(0n);
    const audit = await t.db.auditLog.findFirstOrThrow({ where: { actorId: admin, subjectId: userId } });
    expect(audit).toMatchObject({
      action: "wallet.remove_credits",
      before: { creditsMinor: "500", currency: "USD" },
      after: { creditsMinor: "0", amountMinor: "-500", currency: "USD", reason: "Granted to the wrong account" },
    });
    const movement = (await customerView(t.db, userId))!.movements[0];
    expect(movement).toMatchObject({ kind: "credit_removal", amountMinor: -500n, balanceAfterMinor: 0n });
    expect(await balanceMismatches(t.db)).toEqual([]);
  });

  it("ADMIN, WALLET-3: a removal beyond the credit balance is refused with the balance and changes nothing", async () => {
    const admin = await makeUser(t.db, now);
    const userId = await makeUser(t.db, now);
    await giveCredits(t.db, userId, 300n, now);
    const before = await adjustmentTrace(userId);
    const err = await refusal(
      adjustCredits(t.db, {
        adminId: admin,
        userId,
        currency: "USD",
        amountMinor: -301n,
        reason: "Too much",
        requestId: randomUUID(),
        now,
      }),
    );
    expect(err.code).toBe("credits_below_zero");
    expect(err.params).toEqual({ balanceMinor: "300" });
    expect(await adjustmentTrace(userId)).toEqual(before);
    expect(await t.db.auditLog.count({ where: { actorId: admin } })).toBe(0);
  });

  it("ADMIN, WALLET-3: a removal from a customer who never had credits is refused", async () => {
    const admin = await makeUser(t.db, now);
    const userId = await makeUser(t.db, now);
    const err = await refusal(
      adjustCredits(t.db, {
        adminId: admin,
        userId,
        currency: "USD",
        amountMinor: -1n,
        reason: "Nothing there",
        requestId: randomUUID(),
        now,
      }),
    );
    expect(err).toMatchObject({ code: "credits_below_zero", params: { balanceMinor: "0" } });
    expect(await adjustmentTrace(userId)).toEqual({
      credits: { creditsMinor: 0n, cashMinor: 0n },
      transactions: 0,
      audits: 0,
    });
  });

  it("ADMIN: the same request id sent twice, or five times at once, posts and audits once", async () => {
    const admin = await makeUser(t.db, now);
    const userId = await makeUser(t.db, now);
    await giveCredits(t.db, userId, 1000n, now);
    const requestId = randomUUID();
    const input = {
      adminId: admin,
      userId,
      currency: "USD",
      amountMinor: -400n,
      reason: "Duplicate reward",
      requestId,
      now,
    };
    expect((await adjustCredits(t.db, input)).posted).toBe(true);
    expect(await adjustCredits(t.db, input)).toEqual({ posted: false, beforeMinor: 600n, afterMinor: 600n });
    const again = await Promise.all(Array.from({ length: 5 }, () => adjustCredits(t.db, input)));
    expect(again.every((r) => !r.posted)).toBe(true);
    expect((await wallet(t.db, userId)).creditsMinor).toBe(600n);
    expect(await t.db.ledgerTransaction.count({ where: { idempotencyKey: `grant:${requestId}` } })).toBe(1);
    expect(await t.db.auditLog.count({ where: { actorId: admin } })).toBe(1);

    const grantId = randomUUID();
    const grants = await Promise.all(
      Array.from({ length: 5 }, () => adjustCredits(t.db, { ...input, amountMinor: 100n, requestId: grantId })),
    );
    expect(grants.filter((r) => r.posted)).toHaveLength(1);
    expect((await wallet(t.db, userId)).creditsMinor).toBe(700n);
  });

  it("ADMIN: removals racing each other never take the credits below zero, and every audit's before and after chain up", async () => {
    const admin = await makeUser(t.db, now);
    const userId = await makeUser(t.db, now);
    await giveCredits(t.db, userId, 1000n, now);
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () =>
        adjustCredits(t.db, {
          adminId: admin,
          userId,
          currency: "USD",
          amountMinor: -300n,
          reason: "Race",
          requestId: randomUUID(),
          now,
        }),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(3);
    for (const r of results)
      if (r.status === "rejected") expect(r.reason).toMatchObject({ code: "credits_below_zero" });
    expect((await wallet(t.db, userId)).creditsMinor).toBe(100n);
    const audits = await t.db.auditLog.findMany({ where: { actorId: admin }, orderBy: { id: "asc" } });
    expect(
      audits.map((a) => [
        (a.before as { creditsMinor: string }).creditsMinor,
        (a.after as { creditsMinor: string }).creditsMinor,
      ]),
    ).toEqual([
      ["1000", "700"],
      ["700", "400"],
      ["400", "100"],
    ]);
  });

  it("ADMIN: an empty reason (or only spaces) is refused and changes nothing; so is an amount of zero", async () => {
    const admin = await makeUser(t.db, now);
    const userId = await makeUser(t.db, now);
    await giveCredits(t.db, userId, 100n, now);
    const before = await adjustmentTrace(userId);
    for (const reason of ["", "   "])
      expect(
        (
          await refusal(
            adjustCredits(t.db, {
              adminId: admin,
              userId,
              currency: "USD",
              amountMinor: 50n,
              reason,
              requestId: randomUUID(),
              now,
            }),
          )
        ).code,
      ).toBe("reason_required");
    expect(
      (
        await refusal(
          adjustCredits(t.db, {
            adminId: admin,
            userId,
            currency: "USD",
            amountMinor: 0n,
            reason: "Zero",
            requestId: randomUUID(),
            now,
          }),
        )
      ).code,
    ).toBe("amount_invalid");
    expect(await adjustmentTrace(userId)).toEqual(before);
  });
});

describe("admin console: audit log query", () => {
  it("ADMIN: filters by action prefix, actor e-mail, subject id and date range, newest first, a page at a time", async () => {
    const day = (d: number, h = 12) => new Date(Date.UTC(2027, 5, d, h));
    const admin = await person(day(1), "auditor.query@example.org", "Auditor");
    const other = await person(day(1), "someone.else@example.org", null);
    const subject = randomUUID();
    for (let d = 1; d <= 5; d++)
      await recordAudit(t.db, {
        actorId: admin,
        action: "wallet.grant_credits",
        subjectType: "user",
        subjectId: subject,
        at: day(d),
      });
    await recordAudit(t.db, {
      actorId: other,
      action: "wallet.remove_credits",
      subjectType: "user",
      subjectId: subject,
      at: day(3),
    });
    await recordAudit(t.db, {
      actorId: admin,
      action: "walletish.other",
      subjectType: "user",
      subjectId: randomUUID(),
      at: day(3),
    });
    await recordAudit(t.db, { actorId: null, action: "wallet%", subjectType: "job", at: day(3) });

    const all = await queryAudit(t.db, { subjectId: subject }, { limit: 100 });
    expect(all.entries).toHaveLength(6);
    expect(all.entries.map((e) => e.id)).toEqual([...all.entries.map((e) => e.id)].sort((a, b) => (a > b ? -1 : 1)));

    const wallet = await queryAudit(t.db, { actionPrefix: "wallet." }, { limit: 100 });
    expect(new Set(wallet.entries.map((e) => e.action))).toEqual(
      new Set(["wallet.grant_credits", "wallet.remove_credits"]),
    );

    const byActor = await queryAudit(t.db, { actorEmail: "AUDITOR.QUERY", subjectId: subject }, { limit: 100 });
    expect(byActor.entries).toHaveLength(5);
    expect(byActor.entries.every((e) => e.actorEmail === "auditor.query@example.org")).toBe(true);
    expect((await queryAudit(t.db, { actorEmail: "nobody-at-all" }, { limit: 100 })).entries).toEqual([]);

    const bySubjectStart = await queryAudit(
      t.db,
      { subjectId: subject.slice(0, 8), actorEmail: "someone.else" },
      { limit: 100 },
    );
    expect(bySubjectStart.entries.map((e) => e.action)).toEqual(["wallet.remove_credits"]);

    const range = await queryAudit(t.db, { subjectId: subject, from: day(2, 0), to: day(4, 0) }, { limit: 100 });
    expect(range.entries.map((e) => e.createdAt)).toEqual([day(3), day(3), day(2)]);

    const first = await queryAudit(t.db, { subjectId: subject }, { limit: 4 });
    expect(first.entries).toHaveLength(4);
    expect(first.nextBefore).toBe(first.entries[3].id);
    const second = await queryAudit(t.db, { subjectId: subject }, { before: first.nextBefore!, limit: 4 });
    expect(second.entries).toHaveLength(2);
    expect(second.nextBefore).toBeNull();
    expect([...first.entries, ...second.entries].map((e) => e.id)).toEqual(all.entries.map((e) => e.id));
  });
});

describe("admin console: usage per day", () => {
  it("ADMIN, BILL-2: sums the last 30 days of daily usage per day, newest first, and leaves older days out", async () => {
    const now = at("2027-07-31T12:00:00Z");
    const userId = await makeUser(t.db, now);
    const row = (day: string, model: string, source: string, calls: number, amount: bigint) => ({
      userId,
      day: new Date(`${day}T00:00:00Z`),
      model,
      source,
      currency: "USD",
      calls,
      inputTokens: BigInt(calls * 100),
      outputTokens: BigInt(calls * 10),
      cachedTokens: 0n,
      amountMinor: amount,
    });
    await t.db.usageDay.createMany({
      data: [
        row("2027-07-30", "glm-4.7", "cash", 3, 30n),
        row("2027-07-30", "glm-5", "bonus", 2, 20n),
        row("2027-07-02", "glm-4.7", "subscription", 5, 0n),
        row("2027-07-01", "glm-4.7", "cash", 9, 90n),
      ],
    });
    expect(await usageByDay(t.db, userId, now, "UTC")).toEqual([
      { day: "2027-07-30", currency: "USD", calls: 5, inputTokens: 500n, outputTokens: 50n, amountMinor: 50n },
      { day: "2027-07-02", currency: "USD", calls: 5, inputTokens: 500n, outputTokens: 50n, amountMinor: 0n },
    ]);
  });
});
