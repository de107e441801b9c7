import {
  buyPack,
  dayBounds,
  dayOf,
  feeMicroFor,
  priceAt,
  rollupDueDays,
  settleCalls,
  type SettleItem,
} from "../lib/api-billing";
import type { Db } from "../lib/db";
import { poolOf } from "../lib/db/client";
// Alice's credits pay for the pack (WALLET-2): no card, so no payment processor, is needed while seeding.
import { noProcessor } from "../lib/payments/no-processor";
import { createKey } from "../lib/quota";

const HOUR = 3_600_000;
const DEMO_KEY_NAME = "Demo laptop";

// Alice's pay-as-you-go day (BILL-1..4): a Starter pack bought in the
// morning, then three calls it paid for. Fixed request ids make every step
// a no-op the second time.
const PACK_REQUEST_ID = "demo-pack:alice:starter";
const CALLS = [
  {
    requestId: "demo-call-1",
    hour: 10,
    model: "glm-4.7",
    tokens: { inputTokens: 180_000, outputTokens: 12_000, cachedTokens: 40_000 },
  },
  {
    requestId: "demo-call-2",
    hour: 14.5,
    model: "glm-4.7",
    tokens: { inputTokens: 95_000, outputTokens: 8_000, cachedTokens: 60_000 },
  },
  {
    requestId: "demo-call-3",
    hour: 16.25,
    model: "glm-5",
    tokens: { inputTokens: 240_000, outputTokens: 30_000, cachedTokens: 0 },
  },
] as const;

/**
 * Gives Alice a paid Starter pack and yesterday's calls on it, rolled up, so
 * the wallet and billing pages have something to show. The calls go on
 * yesterday only while that day is not rolled up yet: the rollup takes each
 * day once, so calls added to a day it has done would never be shown (on a
 * database that has run for a while, Alice only gets the pack).
 */
export async function seedDemoApiUse(database: Db, now: Date): Promise<void> {
  await database.$transaction(
    async (lock) => {
      // One seeder at a time: the demo key has no unique value two starts could race on.
      await lock.$queryRaw`SELECT pg_advisory_xact_lock(hashtextextended('demo-seed:api-use', 0))::text`;
      const alice = await database.user.findUniqueOrThrow({ where: { email: "alice@example.com" } });
      if (
        await database.apiCall.findFirst({
          where: { userId: alice.id, requestId: CALLS[0].requestId },
          select: { at: true },
        })
      )
        return;
      const intl = await database.billingRegion.findUniqueOrThrow({ where: { region: "intl" } });
      const yesterday = dayOf(new Date(now.getTime() - 24 * HOUR), intl.timeZone);
      const last = await database.usageRollup.findFirst({ where: { region: "intl" }, orderBy: { day: "desc" } });
      const callsFit = !last || last.day.toISOString().slice(0, 10) < yesterday;
      const start = dayBounds(yesterday, intl.timeZone).start;
      const at = (hour: number) => new Date(start.getTime() + hour * HOUR);

      const outcome = await buyPack(
        { db: database, now: callsFit ? at(9) : now, port: noProcessor },
        { userId: alice.id, productId: "starter", requestId: PACK_REQUEST_ID },
      );
      if (outcome.status !== "paid" || !callsFit) return;
      const pack = await database.resourcePack.findUniqueOrThrow({ where: { invoiceId: outcome.invoiceId } });
      const keyId =
        (await database.apiKey.findFirst({ where: { userId: alice.id, name: DEMO_KEY_NAME }, select: { id: true } }))
          ?.id ?? (await createKey(database, alice.id, DEMO_KEY_NAME, at(9))).key.id;
      const items: SettleItem[] = [];
      for (const c of CALLS) {
        const price = await priceAt(database, c.model, pack.currency, at(c.hour));
        if (!price) throw new Error(`demo data: no ${pack.currency} price for ${c.model}`);
        items.push({
          userId: alice.id,
          requestId: c.requestId,
          keyId,
          model: c.model,
          currency: pack.currency,
          tokens: c.tokens,
          feeMicro: feeMicroFor(price, c.tokens, price.cachedRatioBps),
          at: at(c.hour),
        });
      }
      await settleCalls(poolOf(database), items);
      await database.apiKey.update({ where: { id: keyId }, data: { lastUsedAt: items.at(-1)!.at } });
      // As the worker's sweep would (every due day, in order), so the pages show the day at once.
      await rollupDueDays(database, now);
    },
    { maxWait: 60_000, timeout: 120_000 },
  );
}
