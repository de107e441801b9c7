import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { expirePacks, holdForCall, settleCall } from "../../lib/api-billing";
import { appGatewayDeps } from "../../lib/gateway/gateway-deps";
import type { GatewayDeps } from "../../lib/gateway/call";
import { openaiChat } from "../../lib/gateway/openai-wire";
import { paygGovern } from "../../lib/gateway/payg-call";
import { gatewayRoute } from "../../lib/gateway/route";
import { balanceMismatches, giveCash, giveCredits, unbalancedTransactions, wallet } from "../support/billing";
import { CLIENT_ADDRESS_HEADER } from "../../lib/http/client-address";
import { setupFreshDatabase } from "../support/database";
import { fakePayments } from "../support/fake-payments";
import { ctxOf } from "../support/quota";
import { apiUser, exactCall, packFor, paygCtx, THREE_CENTS } from "../support/payg";

const t = setupFreshDatabase();
const now = new Date("2027-03-01T08:00:00Z");

async function packsBalance(userId: string, currency = "USD") {
  const a = await t.db.ledgerAccount.findFirst({ where: { userId, currency, kind: "user_packs" } });
  return a?.balanceMinor ?? 0n;
}

function deps(): GatewayDeps {
  return { ...appGatewayDeps(), ctx: ctxOf(t.db, t.url), now: async () => now, log: () => {} };
}

const chat = (
  secret: string | null,
  body: object = { model: "glm-4.7", messages: [{ role: "user", content: "hello there" }] },
  lang = "en",
) =>
  gatewayRoute("openai", (req) => openaiChat(deps(), req, paygGovern(paygCtx(t.db, t.url))))(
    new Request("http://codeplan.test/api/paas/v4/chat/completions", {
      method: "POST",
      // As our server stamps it (SEC-2): a call from this machine, which the demo's local responder answers (SEC-4).
      headers: {
        ...(secret ? { authorization: `Bearer ${secret}` } : {}),
        "content-type": "application/json",
        "accept-language": lang,
        [CLIENT_ADDRESS_HEADER]: "127.0.0.1",
      },
      body: JSON.stringify(body),
    }),
  );

describe("resource packs", () => {
  it("BILL-3: a pack bought by card is spendable at once for its validity, and its value sits in the user's packs account", async () => {
    const u = await apiUser(t.db, now);
    const pack = await packFor(t.db, u.userId, "builder", now);
    expect(pack).toMatchObject({ priceMinor: 5000n, valueMinor: 5500n, remainingMinor: 5500n, closedAt: null });
    expect(pack.activatedAt).toEqual(now);
    expect(pack.expiresAt).toEqual(new Date(now.getTime() + 90 * 86_400_000));
    expect(await packsBalance(u.userId)).toBe(5500n);
    const invoice = await t.db.invoice.findUniqueOrThrow({ where: { id: pack.invoiceId } });
    expect([invoice.kind, invoice.status, invoice.totalMinor]).toEqual(["pack", "paid", 5000n]);
    expect(await unbalancedTransactions(t.db)).toEqual([]);
  });

  it("WALLET-2, BILL-3: credits, then cash, then the card pay for a pack; money held by a call in flight is not spent on it", async () => {
    const ctx = paygCtx(t.db, t.url);
    const u = await apiUser(t.db, now);
    await giveCredits(t.db, u.userId, 300n, now);
    await giveCash(t.db, u.port, u.userId, 203n, now);
    // A call in flight holds 3 cents.
    const held = await holdForCall(
      ctx,
      {
        secret: u.secret,
        model: "glm-4.7",
        requestId: randomUUID(),
        promptTokens: THREE_CENTS.inputTokens,
        maxOutputTokens: THREE_CENTS.outputTokens,
      },
      now,
    );
    expect("hold" in held).toBe(true);
    const pack = await packFor(t.db, u.userId, "starter", now);
    const invoice = await t.db.invoice.findUniqueOrThrow({ where: { id: pack.invoiceId }, include: { lines: true } });
    expect(Object.fromEntries(invoice.lines.map((l) => [l.kind, l.amountMinor]))).toEqual({
      pack: 1000n,
      credits_applied: -300n,
      cash_applied: -200n,
      card_charged: -500n,
    });
    expect(await wallet(t.db, u.userId)).toEqual({ creditsMinor: 0n, cashMinor: 3n });
    expect(await packsBalance(u.userId)).toBe(1000n);
    if ("hold" in held)
      expect(await settleCall(ctx, held.hold, THREE_CENTS, now)).toMatchObject({
        chargedMinor: 3n,
        uncollectedMinor: 0n,
      });
    expect(await unbalancedTransactions(t.db)).toEqual([]);
    expect(await balanceMismatches(t.db)).toEqual([]);
  });

  it("WALLET-2: a pack the wallet covers needs no card, and is spendable at once", async () => {
    const u = await apiUser(t.db, now);
    await giveCredits(t.db, u.userId, 1000n, now);
    const fake = fakePayments();
    fake.removeCard();
    const { buyPack } = await import("../../lib/api-billing");
    const outcome = await buyPack(
      { db: t.db, now, port: fake.port },
      { userId: u.userId, productId: "starter", requestId: randomUUID() },
    );
    expect(outcome.status).toBe("paid");
    expect(await packsBalance(u.userId)).toBe(1000n);
    expect(await t.db.payment.count({ where: { invoiceId: outcome.invoiceId } })).toBe(0);
    expect(await unbalancedTransactions(t.db)).toEqual([]);
  });

  it("BILL-3: an unknown pack is refused and nothing is sold", async () => {
    const u = await apiUser(t.db, now);
    const { buyPack } = await import("../../lib/api-billing");
    await expect(
      buyPack({ db: t.db, now, port: u.port }, { userId: u.userId, productId: "nope", requestId: randomUUID() }),
    ).rejects.toMatchObject({ code: "pack_unknown" });
    expect(await t.db.invoice.count({ where: { userId: u.userId } })).toBe(0);
  });

  it("BILL-3: a pack whose card payment fails is never spendable", async () => {
    const u = await apiUser(t.db, now);
    const fake = fakePayments();
    fake.willFail();
    const { buyPack } = await import("../../lib/api-billing");
    const outcome = await buyPack(
      { db: t.db, now, port: fake.port },
      { userId: u.userId, productId: "starter", requestId: randomUUID() },
    );
    expect(outcome.status).toBe("failed");
    expect(await packsBalance(u.userId)).toBe(0n);
    const call = await exactCall(paygCtx(t.db, t.url), u.secret, now);
    expect(call.refused).toBe("insufficient_balance");
  });

  it("BILL-3: an expired pack is not spent, and the sweep gives what it held to revenue once", async () => {
    const u = await apiUser(t.db, now);
    const pack = await packFor(t.db, u.userId, "starter", now);
    const after = new Date(pack.expiresAt!.getTime() + 1000);
    const call = await exactCall(paygCtx(t.db, t.url), u.secret, after);
    expect(call.refused).toBe("insufficient_balance");
    await Promise.all([expirePacks(t.db, after), expirePacks(t.db, after)]);
    expect(await packsBalance(u.userId)).toBe(0n);
    expect(await t.db.resourcePack.findUniqueOrThrow({ where: { id: pack.id } })).toMatchObject({ remainingMinor: 0n });
    expect(await t.db.ledgerTransaction.count({ where: { idempotencyKey: `pack:${pack.id}:expired` } })).toBe(1);
    expect(await balanceMismatches(t.db)).toEqual([]);
  });
});

describe("pay-as-you-go calls", () => {
  it("BILL-1: a call's fee is its tokens at the model's price, exact: 10,000 in + 10,000 out on glm-4.7 = 2.8 cents debits 2 and carries 0.8; the next one debits 3 and carries 0.6", async () => {
    const ctx = paygCtx(t.db, t.url);
    const u = await apiUser(t.db, now);
    await giveCash(t.db, u.port, u.userId, 100n, now);
    const tokens = { inputTokens: 10_000, outputTokens: 10_000, cachedTokens: 0 };
    const call = await exactCall(ctx, u.secret, now, tokens);
    expect(call.settlement).toMatchObject({
      status: "settled",
      feeMicro: 2_800_000n,
      chargedMinor: 2n,
      uncollectedMinor: 0n,
      carryMicro: 800_000n,
    });
    const row = await t.db.apiCall.findUniqueOrThrow({
      where: { userId_requestId: { userId: u.userId, requestId: call.requestId } },
    });
    expect(row).toMatchObject({
      model: "glm-4.7",
      feeMicro: 2_800_000n,
      feeMinor: 2n,
      cashMinor: 2n,
      inputTokens: 10_000,
      outputTokens: 10_000,
    });
    expect((await wallet(t.db, u.userId)).cashMinor).toBe(98n);
    expect(
      await t.db.apiAccrual.findUniqueOrThrow({ where: { userId_currency: { userId: u.userId, currency: "USD" } } }),
    ).toMatchObject({ carryMicro: 800_000n });
    const next = await exactCall(ctx, u.secret, now, tokens);
    expect(next.settlement).toMatchObject({ chargedMinor: 3n, carryMicro: 600_000n });
    expect((await wallet(t.db, u.userId)).cashMinor).toBe(95n);
    expect(await t.db.apiHold.count({ where: { userId: u.userId } })).toBe(0);
  });

  it("BILL-3: packs pay first, the one expiring soonest first; then cash and bonus in proportion (a fee of 10 with equal balances takes 5 from each)", async () => {
    const ctx = paygCtx(t.db, t.url);
    const u = await apiUser(t.db, now);
    const long = await packFor(t.db, u.userId, "builder", now); // 90 days
    const short = await packFor(t.db, u.userId, "starter", now); // 30 days
    await giveCash(t.db, u.port, u.userId, 500n, now);
    await giveCredits(t.db, u.userId, 500n, now);
    // 1,000 + 5,500 of packs; spend 1,002 so the short pack empties and the long one pays 2.
    const big = { inputTokens: 0, outputTokens: 4_554_546, cachedTokens: 0 }; // 4,554,546 × 220 / 1e6 cents = 1,002.0001 → 1,002
    const first = await exactCall(ctx, u.secret, now, big);
    expect(first.settlement).toMatchObject({ status: "settled", chargedMinor: 1002n });
    expect(first.settlement && "parts" in first.settlement && first.settlement.parts).toEqual([
      { source: "pack", ref: short.id, amount: 1000n },
      { source: "pack", ref: long.id, amount: 2n },
    ]);
    // Empty the long pack too, then a fee of 10 (45,455 output tokens = 10.0001 cents) splits 5 / 5.
    await exactCall(ctx, u.secret, now, { inputTokens: 0, outputTokens: 24_990_910, cachedTokens: 0 }); // 5,498.0002 → 5,498
    expect((await t.db.resourcePack.findUniqueOrThrow({ where: { id: long.id } })).remainingMinor).toBe(0n);
    const ten = await exactCall(ctx, u.secret, now, { inputTokens: 0, outputTokens: 45_455, cachedTokens: 0 });
    expect(ten.settlement).toMatchObject({ status: "settled", chargedMinor: 10n });
    const row = await t.db.apiCall.findUniqueOrThrow({
      where: { userId_requestId: { userId: u.userId, requestId: ten.requestId } },
    });
    expect([row.packMinor, row.cashMinor, row.bonusMinor]).toEqual([0n, 5n, 5n]);
    expect(await wallet(t.db, u.userId)).toEqual({ cashMinor: 495n, creditsMinor: 495n });
    expect(await packsBalance(u.userId)).toBe(0n);
    expect(await balanceMismatches(t.db)).toEqual([]);
    expect(await unbalancedTransactions(t.db)).toEqual([]);
  });

  it("BILL-3: 100 parallel calls on a balance that covers 60 end with exactly 60 settled and the balance at zero, never below", async () => {
    const ctx = paygCtx(t.db, t.url);
    const u = await apiUser(t.db, now);
    await giveCash(t.db, u.port, u.userId, 60n * 3n, now);
    const calls = await Promise.all(Array.from({ length: 100 }, () => exactCall(ctx, u.secret, now)));
    expect(calls.filter((c) => c.refused === null)).toHaveLength(60);
    expect(calls.filter((c) => c.refused === "insufficient_balance")).toHaveLength(40);
    expect(await t.db.apiCall.count({ where: { userId: u.userId } })).toBe(60);
    expect((await wallet(t.db, u.userId)).cashMinor).toBe(0n);
    expect(
      await t.db.apiCall.aggregate({ where: { userId: u.userId }, _sum: { uncollectedMinor: true } }),
    ).toMatchObject({ _sum: { uncollectedMinor: 0n } });
    expect(await balanceMismatches(t.db)).toEqual([]);
  });

  it("BILL-3: a settlement delivered twice charges once", async () => {
    const ctx = paygCtx(t.db, t.url);
    const u = await apiUser(t.db, now);
    await giveCash(t.db, u.port, u.userId, 100n, now);
    const held = await holdForCall(
      ctx,
      {
        secret: u.secret,
        model: "glm-4.7",
        requestId: randomUUID(),
        promptTokens: THREE_CENTS.inputTokens,
        maxOutputTokens: THREE_CENTS.outputTokens,
      },
      now,
    );
    if ("refusal" in held) throw new Error("refused");
    const tokens = THREE_CENTS;
    const results = await Promise.all(Array.from({ length: 5 }, () => settleCall(ctx, held.hold, tokens, now)));
    expect(results.filter((r) => r.status === "settled")).toHaveLength(1);
    expect((await wallet(t.db, u.userId)).cashMinor).toBe(97n);
  });

  it("BILL-3: a call that costs more than its hold takes the rest from money nobody holds, and what was spent elsewhere meanwhile is recorded uncollected", async () => {
    const ctx = paygCtx(t.db, t.url);
    const u = await apiUser(t.db, now);
    await giveCash(t.db, u.port, u.userId, 100n, now);
    const held = await holdForCall(
      ctx,
      { secret: u.secret, model: "glm-4.7", requestId: randomUUID(), promptTokens: 10_000, maxOutputTokens: 10_000 },
      now,
    );
    if ("refusal" in held) throw new Error("refused");
    expect(held.hold.maxFeeMicro).toBe(2_800_000n);
    expect((await t.db.apiHold.findFirstOrThrow({ where: { userId: u.userId } })).amountMinor).toBe(3n);
    // The upstream counted far more prompt than estimated: 1,000,000 in = 60 cents, + 2.2 (62 debited, 0.2 carried).
    const s = await settleCall(ctx, held.hold, { inputTokens: 1_000_000, outputTokens: 10_000, cachedTokens: 0 }, now);
    expect(s).toMatchObject({ status: "settled", chargedMinor: 62n, uncollectedMinor: 0n, carryMicro: 200_000n });
    const second = await holdForCall(
      ctx,
      { secret: u.secret, model: "glm-4.7", requestId: randomUUID(), promptTokens: 10_000, maxOutputTokens: 10_000 },
      now,
    );
    if ("refusal" in second) throw new Error("refused");
    const s2 = await settleCall(ctx, second.hold, { inputTokens: 10_000_000, outputTokens: 0, cachedTokens: 0 }, now);
    expect(s2).toMatchObject({ status: "settled", chargedMinor: 38n, uncollectedMinor: 562n });
    expect((await wallet(t.db, u.userId)).cashMinor).toBe(0n);
  });

  it("BILL-3: a hold whose caller died stops counting after holdMinutes", async () => {
    const ctx = paygCtx(t.db, t.url);
    const u = await apiUser(t.db, now);
    await giveCredits(t.db, u.userId, 3n, now);
    const held = await holdForCall(
      ctx,
      { secret: u.secret, model: "glm-4.7", requestId: randomUUID(), promptTokens: 10_000, maxOutputTokens: 10_000 },
      now,
    );
    expect("hold" in held).toBe(true);
    expect((await exactCall(ctx, u.secret, now)).refused).toBe("insufficient_balance");
    expect((await exactCall(ctx, u.secret, new Date(now.getTime() + ctx.holdMs + 1))).refused).toBeNull();
  });
});

describe("POST /api/paas/v4/chat/completions", () => {
  it("BILL-3: a call the balance cannot cover is refused with 1113 in the OpenAI error shape, in the caller's language", async () => {
    const u = await apiUser(t.db, now);
    const res = await chat(u.secret);
    expect(res.status).toBe(429);
    expect(await res.json()).toEqual({
      error: { code: "1113", message: "Insufficient balance or no resource package. Please recharge." },
    });
    const zh = await chat(u.secret, undefined, "zh-CN");
    expect((await zh.json()).error).toEqual({ code: "1113", message: "余额不足或无可用资源包，请充值。" });
  });

  it("BILL-1: a paid call answers in the OpenAI shape and is settled at its reported tokens; plan quota is not touched (QUOTA-9)", async () => {
    const u = await apiUser(t.db, now);
    await packFor(t.db, u.userId, "starter", now);
    const res = await chat(u.secret, {
      model: "GLM-4.7",
      messages: [{ role: "user", content: "x".repeat(40_000) }],
      max_tokens: 200,
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.object).toBe("chat.completion");
    const row = await t.db.apiCall.findFirstOrThrow({ where: { userId: u.userId } });
    expect(row.inputTokens).toBe(body.usage.prompt_tokens);
    expect(row.outputTokens).toBe(body.usage.completion_tokens);
    // The local responder's count of the prompt at 60 / million, plus a short answer at 220: under a cent, so
    // nothing is debited yet, and the exact fee is kept (BILL-1).
    const exact = BigInt(body.usage.prompt_tokens * 60 + body.usage.completion_tokens * 220);
    expect([row.feeMicro, row.feeMinor, row.packMinor]).toEqual([exact, exact / 1_000_000n, exact / 1_000_000n]);
    expect(await t.db.quotaUse.count()).toBe(0);
    expect(await t.db.apiHold.count({ where: { userId: u.userId } })).toBe(0);
  });

  it("BILL-3: 100 parallel requests through the endpoint never take the balance below zero, and every answered call is settled", async () => {
    const u = await apiUser(t.db, now);
    await giveCash(t.db, u.port, u.userId, 60n * 3n, now);
    // Each holds its prompt's ~20,040 bytes + 3,000 output = 1.2 + 0.66 cents, plus the carry (under a cent), rounded up: at most
    // 3 cents (BILL-1); the local responder's count and short answer cost less.
    const body = { model: "glm-4.7", messages: [{ role: "user", content: "y".repeat(20_000) }], max_tokens: 3_000 };
    const answers = await Promise.all(Array.from({ length: 100 }, () => chat(u.secret, body)));
    const ok = answers.filter((r) => r.status === 200).length;
    expect(ok + answers.filter((r) => r.status === 429).length).toBe(100);
    expect(ok).toBeGreaterThanOrEqual(60);
    expect(await t.db.apiCall.count({ where: { userId: u.userId } })).toBe(ok);
    const spent = await t.db.apiCall.aggregate({
      where: { userId: u.userId },
      _sum: { feeMinor: true, uncollectedMinor: true },
    });
    expect(spent._sum.uncollectedMinor).toBe(0n);
    expect((await wallet(t.db, u.userId)).cashMinor).toBe(180n - spent._sum.feeMinor!);
    expect(await balanceMismatches(t.db)).toEqual([]);
  });

  it("BILL-3: a missing or unknown key, and an unknown model, are refused before anything is held", async () => {
    const u = await apiUser(t.db, now);
    await giveCash(t.db, u.port, u.userId, 100n, now);
    expect((await (await chat(null)).json()).error.code).toBe("1001");
    expect((await chat("sk-nope")).status).toBe(401);
    const bad = await chat(u.secret, { model: "gpt-9", messages: [{ role: "user", content: "hi" }] });
    expect([bad.status, (await bad.json()).error.code]).toEqual([400, "1211"]);
    expect(await t.db.apiHold.count({ where: { userId: u.userId } })).toBe(0);
  });
});

describe("refunding a resource pack", () => {
  it("REFUND-1, BILL-3: a pack is refunded out of what is left in it; what calls spent cannot be refunded, and the ledger stays balanced", async () => {
    const { refundPayment } = await import("../../lib/billing/refund");
    const u = await apiUser(t.db, now);
    const pack = await packFor(t.db, u.userId, "starter", now);
    await exactCall(paygCtx(t.db, t.url), u.secret, now, { inputTokens: 0, outputTokens: 1_363_637, cachedTokens: 0 }); // 300.0001 → 300
    const payment = await t.db.payment.findFirstOrThrow({ where: { invoiceId: pack.invoiceId } });
    const { port } = fakePayments();
    const deps = { db: t.db, now, port };
    await expect(
      refundPayment(deps, { paymentId: payment.id, amountMinor: 701n, reason: "customer asked", actorId: u.userId }),
    ).rejects.toMatchObject({ code: "refund_exceeds_pack", params: { rest: "700" } });
    await refundPayment(deps, {
      paymentId: payment.id,
      amountMinor: 700n,
      reason: "customer asked",
      actorId: u.userId,
    });
    expect((await t.db.resourcePack.findUniqueOrThrow({ where: { id: pack.id } })).remainingMinor).toBe(0n);
    expect(await packsBalance(u.userId)).toBe(0n);
    expect((await exactCall(paygCtx(t.db, t.url), u.secret, now)).refused).toBe("insufficient_balance");
    expect(await balanceMismatches(t.db)).toEqual([]);
    expect(await unbalancedTransactions(t.db)).toEqual([]);
  });
});

describe("the decision server", () => {
  it("BILL-3: serves the general API with the same handler as the app: a paid call, and 1113 in the OpenAI shape", async () => {
    const { createDecisionServer, PAYG_PATH } = await import("../../lib/gateway/decision-server");
    const u = await apiUser(t.db, now);
    await giveCash(t.db, u.port, u.userId, 100n, now);
    const handler = gatewayRoute("openai", (req) => openaiChat(deps(), req, paygGovern(paygCtx(t.db, t.url))));
    const server = createDecisionServer(
      { ctx: ctxOf(t.db, t.url), secret: "s".repeat(40), now: async () => now, leaseSeconds: 60 },
      () => {},
      { [PAYG_PATH]: handler },
    );
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as { port: number }).port;
    try {
      const post = (body: object) =>
        fetch(`http://127.0.0.1:${port}/api/paas/v4/chat/completions`, {
          method: "POST",
          headers: { authorization: `Bearer ${u.secret}`, "content-type": "application/json" },
          body: JSON.stringify(body),
        });
      const ok = await post({
        model: "glm-4.7",
        max_tokens: 100,
        messages: [{ role: "user", content: "z".repeat(40_000) }],
      });
      expect(ok.status).toBe(200);
      expect((await ok.json()).object).toBe("chat.completion");
      expect(await t.db.apiCall.count({ where: { userId: u.userId } })).toBe(1);
      const refused = await post({
        model: "glm-4.7",
        max_tokens: 10_000_000,
        messages: [{ role: "user", content: "hi" }],
      });
      expect([refused.status, await refused.json()]).toEqual([
        429,
        { error: { code: "1113", message: "Insufficient balance or no resource package. Please recharge." } },
      ]);
    } finally {
      server.close();
    }
  });
});
