/**
 * The chaos run's "actions" process: the server side of the app's billing
 * forms (subscribe, upgrade, top up, save a card, an admin's refund) and of
 * sign-up with an invitation, as a small JSON API. The pages' server actions
 * call these very lib functions with appBillingDeps(); a run without a
 * browser cannot make Next's action calls (they need a session and React's
 * encoded form), so the run drives the same code here, in a process of its
 * own that it kills like the others.
 *   CHAOS_ACTIONS_PORT=3223 node --import tsx tests/chaos/actions-server.ts
 */
import http from "node:http";
import "../../lib/composition/wiring";
import { buyPack } from "../../lib/api-billing";
import {
  appBillingDeps,
  BillingError,
  refundPayment,
  subscribe,
  topUp,
  upgrade,
  type Cycle,
  type Tier,
} from "../../lib/billing";
import { db } from "../../lib/db";
import { saveTestCard } from "../../lib/payments";
import { createKey } from "../../lib/quota";
import { attributeFromVisit, recordVisit, referralCodeOf, sightingOf } from "../../lib/referrals";

const RETURN_URL = "http://localhost/payments/return?next=%2Fsubscription";
type Body = Record<string, string>;

const ops: Record<string, (b: Body) => Promise<unknown>> = {
  /** A confirmed account (the sign-up link followed), with a coding-plan key; invited when `inviterId` is given. */
  async signUp(b) {
    const deps = await appBillingDeps();
    const user = await db().user.upsert({
      where: { email: b.email },
      create: { email: b.email, emailVerified: deps.now, createdAt: deps.now, updatedAt: deps.now },
      update: {},
    });
    if (b.inviterId) {
      const code = await referralCodeOf(db(), b.inviterId, deps.now);
      const seen = sightingOf({ ip: b.ip, device: b.device });
      const visit = await recordVisit(db(), { code, via: "link", sighting: seen, now: deps.now });
      if (visit)
        await attributeFromVisit(db(), { friendId: user.id, visitId: visit.id, sighting: seen, now: deps.now });
    }
    const key = (await db().apiKey.count({ where: { userId: user.id } }))
      ? null
      : await createKey(db(), user.id, "chaos", deps.now);
    return { userId: user.id, secret: key?.secret ?? null };
  },
  async saveCard(b) {
    const deps = await appBillingDeps();
    return saveTestCard(deps.port, {
      userId: b.userId,
      email: b.email,
      number: b.number,
      expMonth: 12,
      expYear: 2040,
      cvc: "123",
      returnUrl: RETURN_URL,
      requestId: b.requestId,
      now: deps.now,
    });
  },
  subscribe: async (b) =>
    subscribe(await appBillingDeps(), {
      userId: b.userId,
      tier: b.tier as Tier,
      cycle: b.cycle as Cycle,
      requestId: b.requestId,
      returnUrl: RETURN_URL,
    }),
  upgrade: async (b) =>
    upgrade(await appBillingDeps(), {
      userId: b.userId,
      tier: b.tier as Tier,
      cycle: b.cycle as Cycle,
      requestId: b.requestId,
      returnUrl: RETURN_URL,
    }),
  topUp: async (b) =>
    topUp(await appBillingDeps(), {
      userId: b.userId,
      amountMinor: BigInt(b.amountMinor),
      requestId: b.requestId,
      returnUrl: RETURN_URL,
    }),
  buyPack: async (b) =>
    buyPack(await appBillingDeps(), {
      userId: b.userId,
      productId: b.productId,
      requestId: b.requestId,
      returnUrl: RETURN_URL,
    }),
  /** An admin's refund of (part of) the user's latest card payment; none to refund is an answer, not an error. */
  async refund(b) {
    const payment = await db().payment.findFirst({
      where: { status: "succeeded", invoice: { userId: b.userId } },
      orderBy: { createdAt: "desc" },
    });
    if (!payment || payment.refundedMinor >= payment.amountMinor) return { status: "nothing_to_refund" };
    const amountMinor = (payment.amountMinor - payment.refundedMinor + 1n) / 2n;
    return refundPayment(await appBillingDeps(), {
      paymentId: payment.id,
      amountMinor,
      reason: "requested_by_customer",
      actorId: b.adminId,
    });
  },
};

const json = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? String(x) : x));

const server = http.createServer((req, res) => {
  const op = ops[(req.url ?? "").slice(1)];
  if (req.method === "GET" && req.url === "/health") return void res.writeHead(200).end("ok");
  if (req.method !== "POST" || !op) return void res.writeHead(404).end();
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    op(JSON.parse(Buffer.concat(chunks).toString("utf8")) as Body).then(
      (out) => res.writeHead(200, { "content-type": "application/json" }).end(json(out)),
      (e: unknown) => {
        if (e instanceof BillingError)
          return void res.writeHead(409, { "content-type": "application/json" }).end(json({ error: e.code }));
        console.error(`actions: ${req.url} failed: ${e instanceof Error ? e.stack : e}`);
        res.writeHead(500, { "content-type": "application/json" }).end(json({ error: "internal" }));
      },
    );
  });
});
server.listen(Number(process.env.CHAOS_ACTIONS_PORT), "127.0.0.1", () => console.log("actions: listening"));
process.on("SIGTERM", () => process.exit(0));
