import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { paygContextFor } from "../../lib/api-billing";
import type { GatewayDeps } from "../../lib/gateway/call";
import { appGatewayDeps } from "../../lib/gateway/gateway-deps";
import { openaiChat } from "../../lib/gateway/openai-wire";
import { gatewayRoute } from "../../lib/gateway/route";
import { policySettings } from "../../lib/policy/config";
import { evaluatePolicy } from "../../lib/policy/evaluate";
import { decideViolation, liftBan, recordViolation, requestReview } from "../../lib/policy/violations";
import { acquireSlot, authorize } from "../../lib/quota";
import { CLIENT_ADDRESS_HEADER } from "../../lib/http/client-address";
import { setupFreshDatabase } from "../support/database";
import { servers } from "../support/gateway";
import { startModelServer, type ModelServer } from "../support/model-server";
import { holdRefusal } from "../support/payg";
import { ask, ctxOf, refusalCode, subscriberWithKey } from "../support/quota";

const t = setupFreshDatabase();
const settings = policySettings();
const H = 3_600_000;

// A real model server: the demo's local responder answers only on loopback (SEC-4), and these calls come from elsewhere.
let model: ModelServer;
beforeAll(async () => {
  model = await startModelServer();
});
afterAll(() => model.close());

function deps(now: Date): GatewayDeps {
  const openai = { wire: "openai" as const, url: `${model.url}/v1`, apiKey: null };
  return {
    ...appGatewayDeps(),
    ctx: ctxOf(t.db, t.url),
    now: async () => now,
    log: () => {},
    servers: servers({ openai, local: false }),
  };
}

/** A call through the reference gateway as a given client from a given address, shaped or not like an agent's. */
async function callAs(secret: string, now: Date, opts: { ua: string; ip: string; system?: string }) {
  const messages = [
    ...(opts.system ? [{ role: "system", content: opts.system }] : []),
    { role: "user", content: "hello" },
  ];
  const res = await gatewayRoute("openai", (req) => openaiChat(deps(now), req))(
    new Request("http://codeplan.test/api/coding/paas/v4/chat/completions", {
      method: "POST",
      headers: {
        authorization: `Bearer ${secret}`,
        "content-type": "application/json",
        "user-agent": opts.ua,
        [CLIENT_ADDRESS_HEADER]: opts.ip,
      },
      body: JSON.stringify({ model: "glm-4.7", messages }),
    }),
  );
  await res.text();
  return res.status;
}

async function plan(secret: string) {
  const ctx = ctxOf(t.db, t.url);
  ctx.cache.clear();
  return authorize(ctx, secret);
}

describe("usage policy", () => {
  it("POLICY-1: calls from a client that is not a coding tool, not shaped like an agent, are a violation that throttles the plan; coding tools are not", async () => {
    const now = new Date("2027-04-01T10:00:00Z");
    const coder = await subscriberWithKey(t.db, now, "pro");
    const scraper = await subscriberWithKey(t.db, now, "pro");
    for (let i = 0; i < settings.notCoding.minCalls; i++) {
      expect(
        await callAs(coder.secret, new Date(now.getTime() + i * 1000), {
          ua: "claude-cli/1.0.80 (external, cli)",
          ip: "203.0.113.7",
        }),
      ).toBe(200);
      expect(
        await callAs(scraper.secret, new Date(now.getTime() + i * 1000), {
          ua: "python-requests/2.32",
          ip: "198.51.100.9",
        }),
      ).toBe(200);
    }
    const at = new Date(now.getTime() + 60_000);
    await evaluatePolicy(t.db, at);
    expect(await t.db.policyViolation.count({ where: { userId: coder.userId } })).toBe(0);
    const v = await t.db.policyViolation.findFirstOrThrow({ where: { userId: scraper.userId } });
    expect(v).toMatchObject({ rule: "not_coding", state: "open" });
    expect(v.evidence).toMatchObject({ clients: ["python-requests"], calls: settings.notCoding.minCalls });
    const who = await plan(scraper.secret);
    if ("refusal" in who) throw new Error("refused");
    expect(who.plan.throttledUntil).toEqual(new Date(at.getTime() + settings.throttle.quietHours * H));
    // Lower concurrency: the throttle's slots, not Pro's.
    const slots = await Promise.all(
      Array.from({ length: 3 }, () => acquireSlot(ctxOf(t.db, t.url), who, randomUUID(), at, 60)),
    );
    expect(slots.filter((s) => s.acquired)).toHaveLength(settings.throttle.concurrency);
    // Lower rate: a few prompts a minute, then 1302.
    const after = new Date(at.getTime() + 2 * 60_000);
    const codes = [];
    for (let i = 0; i < settings.throttle.promptsPerMinute + 1; i++)
      codes.push(refusalCode(await ask(ctxOf(t.db, t.url), scraper.secret, after)));
    expect(codes.at(-1)).toBe("concurrency");
    expect(codes.slice(0, -1).every((c) => c === null)).toBe(true);
    const notice = await t.db.notice.findFirstOrThrow({ where: { userId: scraper.userId, kind: "policy_violation" } });
    expect(notice.params).toMatchObject({ rule: "not_coding", count: 1, banAfter: settings.banAfter });
  });

  it("POLICY-1: the throttle lifts by itself after the quiet period, and more misuse meanwhile moves it on without a second violation", async () => {
    const now = new Date("2027-04-02T10:00:00Z");
    const s = await subscriberWithKey(t.db, now, "lite");
    await recordViolation(t.db, { userId: s.userId, rule: "not_coding", evidence: {}, now });
    const later = new Date(now.getTime() + 2 * H);
    expect(await recordViolation(t.db, { userId: s.userId, rule: "key_sharing", evidence: {}, now: later })).toBe(
      "extended",
    );
    expect(await t.db.policyViolation.count({ where: { userId: s.userId } })).toBe(1);
    const who = await plan(s.secret);
    if ("refusal" in who) throw new Error("refused");
    const until = new Date(later.getTime() + settings.throttle.quietHours * H);
    expect(who.plan.throttledUntil).toEqual(until);
    // At the lift time the tier's full concurrency is back.
    const slots = await Promise.all(
      Array.from({ length: who.plan.concurrency }, () => acquireSlot(ctxOf(t.db, t.url), who, randomUUID(), until, 60)),
    );
    expect(slots.every((x) => x.acquired)).toBe(true);
  });

  it("POLICY-3: one key used from more networks at once than allowed is a sharing violation", async () => {
    const now = new Date("2027-04-03T10:00:00Z");
    const s = await subscriberWithKey(t.db, now, "max");
    for (let n = 0; n <= settings.sharing.maxNetworksPerKey; n++)
      expect(
        await callAs(s.secret, new Date(now.getTime() + n * 60_000), {
          ua: "opencode/0.5",
          ip: `192.0.${n + 10}.4`,
          system: "You are a coding agent",
        }),
      ).toBe(200);
    await evaluatePolicy(t.db, new Date(now.getTime() + 10 * 60_000));
    const v = await t.db.policyViolation.findFirstOrThrow({ where: { userId: s.userId } });
    expect(v.rule).toBe("key_sharing");
    expect((v.evidence as { networks: string[] }).networks).toHaveLength(settings.sharing.maxNetworksPerKey + 1);
  });

  it("POLICY-2: each violation is recorded, the subscriber can ask for a review, and the third bans the account: its keys are refused with 1309, pay-as-you-go too", async () => {
    let now = new Date("2027-04-10T10:00:00Z");
    const s = await subscriberWithKey(t.db, now, "lite");
    const outcomes = [];
    for (let i = 0; i < settings.banAfter; i++) {
      outcomes.push(await recordViolation(t.db, { userId: s.userId, rule: "not_coding", evidence: { n: i }, now }));
      now = new Date(now.getTime() + (settings.throttle.quietHours + 1) * H);
    }
    expect(outcomes).toEqual([...Array(settings.banAfter - 1).fill("recorded"), "banned"]);
    const first = await t.db.policyViolation.findFirstOrThrow({
      where: { userId: s.userId },
      orderBy: { createdAt: "asc" },
    });
    await requestReview(t.db, { userId: s.userId, violationId: first.id, note: "It was my CI, sorry", now });
    expect(await t.db.policyViolation.findUniqueOrThrow({ where: { id: first.id } })).toMatchObject({
      state: "review_requested",
      reviewNote: "It was my CI, sorry",
    });
    await expect(
      requestReview(t.db, { userId: randomUUID(), violationId: first.id, note: "", now }),
    ).rejects.toMatchObject({ code: "violation_not_found" });
    expect((await t.db.user.findUniqueOrThrow({ where: { id: s.userId } })).status).toBe("banned");
    const d = await ask(ctxOf(t.db, t.url), s.secret, now);
    expect(refusalCode(d)).toBe("banned");
    expect(await holdRefusal(paygContextFor(t.db, t.url), s.secret, now)).toBe("banned");
    expect(await t.db.notice.count({ where: { userId: s.userId, kind: "policy_banned" } })).toBe(1);
    expect(await t.db.auditLog.count({ where: { subjectId: s.userId, action: "policy.ban" } })).toBe(1);
  });

  it("POLICY-2: an admin reverses a violation or a ban, with a reason; without one nothing changes", async () => {
    const now = new Date("2027-04-20T10:00:00Z");
    const admin = await subscriberWithKey(t.db, now, "lite");
    const s = await subscriberWithKey(t.db, now, "lite");
    await recordViolation(t.db, { userId: s.userId, rule: "not_coding", evidence: {}, now });
    const v = await t.db.policyViolation.findFirstOrThrow({ where: { userId: s.userId } });
    await expect(
      decideViolation(t.db, { adminId: admin.userId, violationId: v.id, decision: "reverse", reason: "  ", now }),
    ).rejects.toMatchObject({ code: "reason_required" });
    expect((await t.db.policyViolation.findUniqueOrThrow({ where: { id: v.id } })).state).toBe("open");
    await decideViolation(t.db, {
      adminId: admin.userId,
      violationId: v.id,
      decision: "reverse",
      reason: "Their CI uses curl",
      now,
    });
    expect(await t.db.policyViolation.findUniqueOrThrow({ where: { id: v.id } })).toMatchObject({
      state: "reversed",
      decidedBy: admin.userId,
      decisionReason: "Their CI uses curl",
    });
    const who = await plan(s.secret);
    if ("refusal" in who) throw new Error("refused");
    expect(who.plan.throttledUntil).toBeNull();
    await expect(
      decideViolation(t.db, { adminId: admin.userId, violationId: v.id, decision: "uphold", reason: "again", now }),
    ).rejects.toMatchObject({ code: "already_decided" });

    await t.db.user.update({ where: { id: s.userId }, data: { status: "banned" } });
    await expect(liftBan(t.db, { adminId: admin.userId, userId: s.userId, reason: "", now })).rejects.toMatchObject({
      code: "reason_required",
    });
    await liftBan(t.db, { adminId: admin.userId, userId: s.userId, reason: "Reviewed with the customer", now });
    expect(refusalCode(await ask(ctxOf(t.db, t.url), s.secret, now))).toBeNull();
    const audit = await t.db.auditLog.findFirstOrThrow({ where: { action: "policy.unban", subjectId: s.userId } });
    expect(audit).toMatchObject({
      actorId: admin.userId,
      before: { status: "banned" },
      after: { status: "active", reason: "Reviewed with the customer" },
    });
  });
});
