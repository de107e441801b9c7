import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { feeMicroFor, holdForCall, holdMinorFor, priceAt, settleCall } from "../../lib/api-billing";
import { appGatewayDeps } from "../../lib/gateway/gateway-deps";
import type { GatewayDeps } from "../../lib/gateway/call";
import { createDecisionServer, PAYG_PATH } from "../../lib/gateway/decision-server";
import { openaiChat } from "../../lib/gateway/openai-wire";
import { paygGovern } from "../../lib/gateway/payg-call";
import { gatewayRoute } from "../../lib/gateway/route";
import { isJsonObject } from "../../lib/gateway/wire";
import { CLIENT_ADDRESS_HEADER } from "../../lib/http/client-address";
import { balanceMismatches, giveCredits, unbalancedTransactions, wallet } from "../support/billing";
import { setupFreshDatabase } from "../support/database";
import { servers } from "../support/gateway";
import { startModelServer, type ModelServer } from "../support/model-server";
import { ctxOf } from "../support/quota";
import { apiUser, exactCall, paygCtx } from "../support/payg";

const t = setupFreshDatabase();
const now = new Date("2027-03-01T08:00:00Z");
const M = 1_000_000n;

let model: ModelServer;
beforeAll(async () => {
  model = await startModelServer();
});
afterAll(async () => {
  await model?.close();
});

function deps(over: Partial<GatewayDeps> = {}): GatewayDeps {
  return { ...appGatewayDeps(), ctx: ctxOf(t.db, t.url), now: async () => now, log: () => {}, ...over };
}

const paygHandler = (over: Partial<GatewayDeps> = {}) =>
  gatewayRoute("openai", (req) => openaiChat(deps(over), req, paygGovern(paygCtx(t.db, t.url))));

const post = (handler: (req: Request) => Promise<Response>, secret: string, body: object) =>
  handler(
    new Request("http://codeplan.test/api/paas/v4/chat/completions", {
      method: "POST",
      // As our server stamps it (SEC-2): a call from this machine, which the demo's local responder answers (SEC-4).
      headers: {
        authorization: `Bearer ${secret}`,
        "content-type": "application/json",
        [CLIENT_ADDRESS_HEADER]: "127.0.0.1",
      },
      body: JSON.stringify(body),
    }),
  );

/** A cheap call: a few prompt tokens and one output token on glm-4.7, worth far less than half a cent. */
const tiny = { model: "glm-4.7", max_tokens: 1, messages: [{ role: "user", content: "hi" }] };
const refusal1113 = {
  error: { code: "1113", message: "Insufficient balance or no resource package. Please recharge." },
};

/** What a user's pay-as-you-go calls add up to: exact fees, whole units debited and uncollected, the carry. */
async function accounts(userId: string, currency = "USD") {
  const calls = await t.db.apiCall.findMany({ where: { userId } });
  const sum = (f: (c: (typeof calls)[number]) => bigint) => calls.reduce((s, c) => s + f(c), 0n);
  const accrual = await t.db.apiAccrual.findUnique({ where: { userId_currency: { userId, currency } } });
  return {
    calls: calls.length,
    exactMicro: sum((c) => c.feeMicro),
    debited: sum((c) => c.packMinor + c.cashMinor + c.bonusMinor),
    uncollected: sum((c) => c.uncollectedMinor),
    carry: accrual?.carryMicro ?? 0n,
  };
}

describe("BILL-1: no call is free", () => {
  it("BILL-1: a new account with no money and a loop of tiny calls is refused with 1113 on the app's route and on the decision server's port, and nothing is served or recorded", async () => {
    const u = await apiUser(t.db, now);
    const handler = paygHandler();
    for (let i = 0; i < 10; i++) {
      const res = await post(handler, u.secret, tiny);
      expect([res.status, await res.json()]).toEqual([429, refusal1113]);
    }
    const server = createDecisionServer(
      { ctx: ctxOf(t.db, t.url), secret: "s".repeat(40), now: async () => now, leaseSeconds: 60 },
      () => {},
      { [PAYG_PATH]: handler },
    );
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as { port: number }).port;
    try {
      for (let i = 0; i < 10; i++) {
        const res = await fetch(`http://127.0.0.1:${port}${PAYG_PATH}`, {
          method: "POST",
          headers: { authorization: `Bearer ${u.secret}`, "content-type": "application/json" },
          body: JSON.stringify(tiny),
        });
        expect([res.status, await res.json()]).toEqual([429, refusal1113]);
      }
    } finally {
      server.close();
    }
    expect(await t.db.apiCall.count({ where: { userId: u.userId } })).toBe(0);
    expect(await t.db.apiHold.count({ where: { userId: u.userId } })).toBe(0);
  });

  it("BILL-1: a balance of one minor unit pays for calls up to exactly one minor unit: three 0.3-cent calls pass, a fourth is refused, a 0.1-cent call completes the cent and debits it, and then nothing passes", async () => {
    const ctx = paygCtx(t.db, t.url);
    const u = await apiUser(t.db, now);
    await giveCredits(t.db, u.userId, 1n, now);
    const third = { inputTokens: 5_000, outputTokens: 0, cachedTokens: 0 }; // 5,000 × 60 micro-cents = 0.3 cent
    const tenth = { inputTokens: 1_663, outputTokens: 1, cachedTokens: 0 }; // 99,780 + 220 micro-cents = 0.1 cent
    for (let i = 0; i < 3; i++) expect((await exactCall(ctx, u.secret, now, third)).refused).toBeNull();
    expect(await accounts(u.userId)).toEqual({
      calls: 3,
      exactMicro: 900_000n,
      debited: 0n,
      uncollected: 0n,
      carry: 900_000n,
    });
    expect((await wallet(t.db, u.userId)).creditsMinor).toBe(1n);
    // 0.9 owed + 0.3 would be 1.2 cents: more than the balance covers, so refused.
    expect((await exactCall(ctx, u.secret, now, third)).refused).toBe("insufficient_balance");
    const last = await exactCall(ctx, u.secret, now, tenth);
    expect(last.settlement).toMatchObject({
      status: "settled",
      feeMicro: 100_000n,
      chargedMinor: 1n,
      uncollectedMinor: 0n,
      carryMicro: 0n,
    });
    expect(await accounts(u.userId)).toEqual({
      calls: 4,
      exactMicro: 1_000_000n,
      debited: 1n,
      uncollected: 0n,
      carry: 0n,
    });
    expect(await wallet(t.db, u.userId)).toEqual({ cashMinor: 0n, creditsMinor: 0n });
    expect((await exactCall(ctx, u.secret, now, { inputTokens: 1, outputTokens: 0, cachedTokens: 0 })).refused).toBe(
      "insufficient_balance",
    );
    expect(await unbalancedTransactions(t.db)).toEqual([]);
  });
});

describe("BILL-1: fractions are neither lost nor given away", () => {
  const call = fc.record({
    model: fc.constantFrom("glm-5", "glm-4.7", "glm-4.6v", "glm-4.5-air"),
    input: fc.integer({ min: 0, max: 120_000 }),
    cachedPercent: fc.integer({ min: 0, max: 100 }),
    output: fc.integer({ min: 0, max: 8_000 }),
  });

  it("BILL-1: over random calls at random prices (models, USD and CNY) and sizes, after every call the whole units debited are floor(the exact sum), the carry is the rest, nothing is uncollected and no balance goes below zero (property, 12 runs)", async () => {
    const ctx = paygCtx(t.db, t.url);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("intl" as const, "cn" as const),
        fc.bigInt({ min: 1n, max: 400n }),
        fc.array(call, { minLength: 1, maxLength: 10 }),
        async (region, funds, calls) => {
          const currency = region === "cn" ? "CNY" : "USD";
          const u = await apiUser(t.db, now, { region });
          await giveCredits(t.db, u.userId, funds, now, currency);
          for (const c of calls) {
            const tokens = {
              inputTokens: c.input,
              outputTokens: c.output,
              cachedTokens: Math.floor((c.input * c.cachedPercent) / 100),
            };
            const held = await holdForCall(
              ctx,
              {
                secret: u.secret,
                model: c.model,
                requestId: randomUUID(),
                promptTokens: c.input,
                maxOutputTokens: c.output,
              },
              now,
            );
            const before = await accounts(u.userId, currency);
            if ("refusal" in held) {
              // Refused only when the balance cannot cover what the carry and this call could add up to.
              expect(held.refusal.code).toBe("insufficient_balance");
              const price = (await priceAt(t.db, c.model, currency, now))!;
              const w = await wallet(t.db, u.userId, currency);
              expect(
                holdMinorFor(
                  before.carry,
                  feeMicroFor(
                    price,
                    { inputTokens: c.input, outputTokens: c.output, cachedTokens: 0 },
                    price.cachedRatioBps,
                  ),
                ),
              ).toBeGreaterThan(w.cashMinor + w.creditsMinor);
              continue;
            }
            await settleCall(ctx, held.hold, tokens, now);
            const after = await accounts(u.userId, currency);
            expect(after.calls).toBe(before.calls + 1);
            expect(after.uncollected).toBe(0n);
            expect(after.debited).toBe(after.exactMicro / M);
            expect(after.carry).toBe(after.exactMicro - after.debited * M);
            expect(after.exactMicro - after.debited * M < M).toBe(true);
            const w = await wallet(t.db, u.userId, currency);
            expect(w.cashMinor + w.creditsMinor).toBe(funds - after.debited);
            // What is owed below a minor unit is backed by the balance: no call ran on credit.
            expect((w.cashMinor + w.creditsMinor) * M >= after.carry).toBe(true);
          }
          expect(await t.db.apiHold.count({ where: { userId: u.userId } })).toBe(0);
        },
      ),
      { numRuns: 12 },
    );
    expect(await balanceMismatches(t.db)).toEqual([]);
    expect(await unbalancedTransactions(t.db)).toEqual([]);
  });

  it("BILL-1: 60 calls at once for one user lose no fraction and debit nothing twice: the debits are floor(the exact sum) and the carry the rest", async () => {
    const ctx = paygCtx(t.db, t.url);
    const u = await apiUser(t.db, now);
    await giveCredits(t.db, u.userId, 500n, now);
    // 0.3, 0.07 and 1.3 cents (input × 60 + output × 220 micro-cents), mixed.
    const sizes = [
      { inputTokens: 5_000, outputTokens: 0, cachedTokens: 0 },
      { inputTokens: 0, outputTokens: 318, cachedTokens: 0 },
      { inputTokens: 10_000, outputTokens: 3_182, cachedTokens: 0 },
    ];
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) => exactCall(ctx, u.secret, now, sizes[i % 3])),
    );
    expect(results.every((r) => r.refused === null)).toBe(true);
    const exact = 20n * (300_000n + 69_960n + 1_300_040n);
    const a = await accounts(u.userId);
    expect(a).toEqual({ calls: 60, exactMicro: exact, debited: exact / M, uncollected: 0n, carry: exact % M });
    expect((await wallet(t.db, u.userId)).creditsMinor).toBe(500n - exact / M);
    expect(await balanceMismatches(t.db)).toEqual([]);
    expect(await unbalancedTransactions(t.db)).toEqual([]);
  });

  it("BILL-1: 80 calls of 0.3 cent at once on 5 cents: the calls served add up to at most 5 cents, their whole cents are debited once and the balance never goes below zero", async () => {
    const ctx = paygCtx(t.db, t.url);
    const u = await apiUser(t.db, now);
    await giveCredits(t.db, u.userId, 5n, now);
    const third = { inputTokens: 5_000, outputTokens: 0, cachedTokens: 0 };
    const results = await Promise.all(Array.from({ length: 80 }, () => exactCall(ctx, u.secret, now, third)));
    const served = results.filter((r) => r.refused === null).length;
    expect(served).toBeGreaterThan(0);
    expect(results.filter((r) => r.refused !== null).every((r) => r.refused === "insufficient_balance")).toBe(true);
    const a = await accounts(u.userId);
    expect(a.exactMicro).toBe(BigInt(served) * 300_000n);
    expect(a.exactMicro <= 5n * M).toBe(true);
    expect([a.debited, a.uncollected, a.carry]).toEqual([a.exactMicro / M, 0n, a.exactMicro % M]);
    expect((await wallet(t.db, u.userId)).creditsMinor).toBe(5n - a.debited);
  });
});

describe("BILL-1: the hold covers a CJK prompt", () => {
  it("BILL-1: a CJK prompt's hold covers the real usage even when every UTF-8 byte is a token (a tokenizer's worst case), so the call never costs more than was held", async () => {
    // The scripted model counts one token per UTF-8 byte of the prompt's text: no BPE tokenizer counts more.
    model.script((req) => {
      const text = JSON.stringify(isJsonObject(req.body) ? req.body.messages : null);
      return { text: "好", usage: { input: Buffer.byteLength(text, "utf8"), output: 1 }, delayMs: 300 };
    });
    const u = await apiUser(t.db, now);
    await giveCredits(t.db, u.userId, 100n, now);
    const handler = paygHandler({
      servers: servers({ openai: { wire: "openai", url: `${model.url}/v1`, apiKey: null } }),
    });
    // 10,000 CJK characters (𠮷 is four UTF-8 bytes, 鿕 three): 35,000 bytes. A token a character would hold 0.6 cent for 2.1.
    const body = { model: "glm-4.7", max_tokens: 1, messages: [{ role: "user", content: "𠮷鿕".repeat(5_000) }] };
    const answer = post(handler, u.secret, body);
    let holdMinor = 0n;
    await expect
      .poll(
        async () => (holdMinor = (await t.db.apiHold.findFirst({ where: { userId: u.userId } }))?.amountMinor ?? 0n),
      )
      .toBeGreaterThan(0n);
    const res = await answer;
    expect(res.status).toBe(200);
    const usage = (await res.json()).usage as { prompt_tokens: number; completion_tokens: number };
    const costMicro = BigInt(usage.prompt_tokens) * 60n + BigInt(usage.completion_tokens) * 220n;
    expect(usage.prompt_tokens).toBeGreaterThanOrEqual(35_000);
    expect(holdMinor * M >= costMicro).toBe(true);
    await expect.poll(() => t.db.apiCall.count({ where: { userId: u.userId } })).toBe(1);
    expect(await accounts(u.userId)).toMatchObject({ exactMicro: costMicro, uncollected: 0n });
  });
});
