import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decisionApi } from "../../lib/gateway/decision-api";
import { admitCall, type Decision } from "../../lib/quota";
import { AdmitBatcher } from "../../lib/quota/admit";
import { setupFreshDatabase } from "../support/database";
import { ctxOf, subscriberWithKey } from "../support/quota";

const t = setupFreshDatabase();

const outcome = (d: Decision) => (d.allowed ? `allowed ${d.cost} ${d.promptId}` : d.refusal.code);

/**
 * The reference gateway admits a call in one statement (gateway_admit): its
 * slot, then its continuation or its decision, the slot given back at once on
 * a refusal. Calls admitted in the same turn of the event loop share that
 * statement; each must get the answer it would get alone.
 */
describe("QUOTA-8, QUOTA-1: the gateway's admission, batched", () => {
  it("QUOTA-8, QUOTA-1: calls admitted together get the answers each would get alone, and only admitted calls hold a slot", async () => {
    const ctx = ctxOf(t.db, t.url);
    const now = new Date();
    const [s, spent, stale] = [
      await subscriberWithKey(t.db, now, "pro"),
      await subscriberWithKey(t.db, now, "lite"),
      await subscriberWithKey(t.db, now, "lite"),
    ];
    const deps = { ctx, secret: "g".repeat(40), now: async () => now, leaseSeconds: 60 };
    const api = (op: string, body: unknown) =>
      decisionApi(deps, { op, body, authorization: `Bearer ${"g".repeat(40)}`, acceptLanguage: null });
    // A tool call the gateway returned to s under prompt p-1.
    await api("consume", { key: s.secret, model: "glm-4.7", requestId: "p-1" });
    await api("usage", {
      key: s.secret,
      requestId: "p-1",
      model: "glm-4.7",
      inputTokens: 1,
      outputTokens: 1,
      toolCallIds: ["p-1-tc"],
    });
    const limit = (await ctx.cache.plan(s.userId))!.concurrency;
    // `spent` has used its 5-hour prompts; `stale` changed under the cache (it is read again and admitted).
    const spentPlan = (await ctx.cache.plan(spent.userId))!;
    await t.db.quotaUse.createMany({
      data: Array.from({ length: spentPlan.prompts5h }, (_, i) => ({
        subscriptionId: spent.sub.id,
        requestId: `old-${i}`,
        keyId: spent.keyId,
        kind: "prompt" as const,
        pool: "prompt",
        model: "glm-4.7",
        units: 1,
        at: new Date(now.getTime() - 60_000),
      })),
    });
    await ctx.cache.plan(stale.userId);
    await t.db.subscription.update({
      where: { id: stale.sub.id },
      data: { updatedAt: new Date(now.getTime() - 1000) },
    });

    const ids = Array.from({ length: limit + 2 }, () => randomUUID());
    // One lane, so that calls the loaded machine happens to split over two batches still meet in order
    // (two lanes may run the second batch first: a fair race, but not this test's question).
    const oneLane = { ...ctx, admissions: new AdmitBatcher(ctx.pool, 1) };
    const admit = (secret: string, requestId: string, toolResultIds?: string[]) =>
      admitCall(oneLane, { key: secret, model: "glm-4.7", kind: "prompt", requestId, toolResultIds }, now, 60);
    const answers = await Promise.all([
      admit(s.secret, ids[0], ["p-1-tc"]),
      admit(s.secret, ids[1], ["forged"]),
      ...ids.slice(2).map((id) => admit(s.secret, id)),
      admit(spent.secret, "spent-1"),
      admit(stale.secret, "stale-1"),
    ]);
    expect(answers.map(outcome)).toEqual([
      `allowed 0 p-1`,
      `allowed 1 ${ids[1]}`,
      ...ids.slice(2, limit).map((id) => `allowed 1 ${id}`),
      "concurrency",
      "concurrency",
      "five_hour",
      "allowed 1 stale-1",
    ]);
    const slots = await t.db.quotaSlot.findMany({ select: { subscriptionId: true, requestId: true } });
    expect(
      slots
        .filter((x) => x.subscriptionId === s.sub.id)
        .map((x) => x.requestId)
        .sort(),
    ).toEqual(ids.slice(0, limit).sort());
    expect(slots.filter((x) => x.subscriptionId !== s.sub.id).map((x) => x.requestId)).toEqual(["stale-1"]);
    // The continuation spent nothing and is recorded under its prompt; the refused calls spent nothing.
    expect(await t.db.quotaUse.count({ where: { subscriptionId: s.sub.id } })).toBe(1 + limit - 1);
    expect(
      await t.db.promptContinuation.findMany({
        where: { subscriptionId: s.sub.id },
        select: { requestId: true, promptId: true },
      }),
    ).toEqual([{ requestId: ids[0], promptId: "p-1" }]);
    expect(await t.db.quotaUse.count({ where: { subscriptionId: spent.sub.id } })).toBe(spentPlan.prompts5h);
  });
});

describe("KEY-1, QUOTA-9: the gateway's batched admission keeps a key's own terms", () => {
  it("KEY-1, QUOTA-9: 8 calls at once on a key limited to 3 admit exactly 3 (the rest 1308 with the key's reset time, no slot kept); an expired or pay-as-you-go key is refused even with a stale cache", async () => {
    const ctx = ctxOf(t.db, t.url);
    const now = new Date();
    const s = await subscriberWithKey(t.db, now, "max");
    await t.db.apiKey.update({ where: { id: s.keyId }, data: { limit5h: 3 } });
    const admit = (secret: string) =>
      admitCall(ctx, { key: secret, model: "glm-4.7", kind: "prompt", requestId: randomUUID() }, now, 60);
    const answers = await Promise.all(Array.from({ length: 8 }, () => admit(s.secret)));
    expect(answers.filter((a) => a.allowed)).toHaveLength(3);
    const refused = answers.filter((a) => !a.allowed);
    expect(refused.map(outcome)).toEqual(Array(5).fill("five_hour"));
    for (const r of refused)
      if (!r.allowed && r.refusal.code === "five_hour")
        expect(r.refusal).toMatchObject({ byKey: true, resetAt: new Date(now.getTime() + 5 * 3_600_000) });
    expect(await t.db.quotaSlot.count({ where: { subscriptionId: s.sub.id } })).toBe(3);
    expect(await t.db.quotaUse.count({ where: { keyId: s.keyId } })).toBe(3);

    // The cache still holds the key as it was; the statement refuses under its lock all the same.
    const other = await subscriberWithKey(t.db, now, "max");
    expect((await admit(other.secret)).allowed).toBe(true);
    await t.db.apiKey.update({ where: { id: other.keyId }, data: { expiresAt: new Date(now.getTime() - 1000) } });
    expect(outcome(await admit(other.secret))).toBe("key_expired");
    const third = await subscriberWithKey(t.db, now, "max");
    expect((await admit(third.secret)).allowed).toBe(true);
    await t.db.apiKey.update({ where: { id: third.keyId }, data: { purpose: "payg" } });
    expect(outcome(await admit(third.secret))).toBe("key_not_for_coding");
  });
});
