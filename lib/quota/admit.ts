import type pg from "pg";
import { jsonRows } from "../db/json-rows";
import { LaneBatcher } from "../db/lane-batcher";
import { consumeItem, inBatchOrder, type ConsumeParams } from "./batcher";
import { policySettings } from "../policy/config";
import { effectiveConcurrency, isThrottled } from "../policy/throttle";
import {
  authorize,
  behindCache,
  consume,
  decisionOf,
  priced,
  quotaPoolOf,
  type ConsumeInput,
  type Decision,
  type QuotaContext,
} from "./consume";
import { acquireSlot, releaseSlot } from "./slots";
import { hashKey } from "./subjects";
import { monthOf, weekOf } from "./windows";

/**
 * QUOTA-1, QUOTA-8: the reference gateway's admission of a call: a
 * concurrency slot (refused at once when none is free), then the decision —
 * a prompt at the model's cost, or nothing when the call continues a tool
 * loop — in one round trip (gateway_admit, batched with the calls that
 * arrive together), where taking the slot, continuing and deciding were one
 * each. Allowed: the call holds its slot until its usage report frees it.
 * Refused: it holds none. A throttled subscription (POLICY-1), whose prompts
 * a minute are counted first, is admitted the long way, step by step.
 */
export async function admitCall(
  ctx: QuotaContext,
  input: ConsumeInput,
  now: Date,
  leaseSeconds: number,
): Promise<Decision> {
  const hash = input.keyHash ?? hashKey(input.key);
  for (let attempt = 0; ; attempt++) {
    const who = await authorize(ctx, input.key, now, hash);
    if ("refusal" in who) return { allowed: false, ...who };
    const { key, plan } = who;
    if (isThrottled(plan, now)) return stepByStep(ctx, who, input, now, leaseSeconds);
    const price = priced(ctx, plan, input, now);
    if ("refusal" in price) return { allowed: false, key, plan, refusal: price.refusal };
    const ids =
      input.toolResultIds?.length && quotaPoolOf(input.kind) === "prompt" ? [...new Set(input.toolResultIds)] : [];
    const row = await ctx.admissions.submit({
      sub: plan.subscriptionId,
      subUpdated: plan.updatedAt,
      key: key.keyId,
      requestId: input.requestId,
      kind: input.kind,
      pool: quotaPoolOf(input.kind),
      model: price.modelId,
      cost: price.cost,
      now,
      limit5h: plan.prompts5h,
      limitWeek: plan.weeklyPrompts,
      ...weekFields(plan.orderedAt, now),
      limitMonth: plan.mcpMonthly,
      monthKey: monthOf(now, ctx.rules.mcpMonthTimeZone).index,
      slots: effectiveConcurrency(plan, now, policySettings().throttle),
      leaseUntil: new Date(now.getTime() + leaseSeconds * 1000),
      toolResultIds: ids,
      since: new Date(now.getTime() - ctx.toolLoopMs),
    });
    if (row.slot === "denied") return { allowed: false, key, plan, refusal: { code: "concurrency" } };
    if (row.outcome === "continued" && row.prompt_id)
      return { allowed: true, duplicate: false, cost: 0, promptId: row.prompt_id, key, plan };
    // The cache was behind the database (the slot went back with the refusal): read again, at most twice.
    const behind = behindCache(ctx, who, row.outcome, now);
    if (behind) {
      if (attempt < 2) continue;
      return behind;
    }
    return decisionOf(ctx, who, { ...row, outcome: row.outcome ?? "" }, price.cost, input.requestId, now);
  }
}

/** The slot, then consume's own decision (which counts a throttled subscription's last minute), the slot given back on a refusal. */
async function stepByStep(
  ctx: QuotaContext,
  who: Parameters<typeof acquireSlot>[1],
  input: ConsumeInput,
  now: Date,
  leaseSeconds: number,
): Promise<Decision> {
  const slot = await acquireSlot(ctx, who, input.requestId, now, leaseSeconds);
  if (!slot.acquired) return { allowed: false, ...who, refusal: { code: "concurrency" } };
  const free = () => releaseSlot(ctx, who.plan.subscriptionId, input.requestId).catch(() => false);
  try {
    const decision = await consume(ctx, input, now);
    if (!decision.allowed) await free();
    return decision;
  } catch (e) {
    await free();
    throw e;
  }
}

/** The week's index (the counter row's) and start (from which a key's own weekly use is counted, KEY-1). */
function weekFields(orderedAt: Date, now: Date) {
  const week = weekOf(orderedAt, now);
  return { weekIndex: week.index, weekStart: week.start };
}

type AdmitItem = ConsumeParams & { slots: number; leaseUntil: Date; toolResultIds: string[]; since: Date };
type AdmitRow = {
  slot: string;
  prompt_id: string | null;
  outcome: string | null;
  used_5h: number;
  oldest_5h: Date | null;
  week_used: number;
  month_used: number;
  key_oldest_5h: Date | null;
};

/** Admissions that arrive together, one gateway_admit call per lane (LaneBatcher: one lane per subscription). */
export class AdmitBatcher extends LaneBatcher<AdmitItem, AdmitRow> {
  constructor(pool: pg.Pool, lanes: number) {
    super(
      lanes,
      (x) => x.sub,
      async (batch) => {
        const items = batch.map((p, i) => ({
          ...consumeItem(p, i),
          sl: p.slots,
          lease: p.leaseUntil.toISOString(),
          ids: p.toolResultIds,
          since: p.since.toISOString(),
        }));
        const { rows } = await pool.query<AdmitRow & { i: number }>({
          name: "gateway_admit",
          text: "SELECT * FROM gateway_admit($1::jsonb)",
          values: [jsonRows(items)],
        });
        return inBatchOrder(rows, batch.length, "gateway_admit");
      },
    );
  }
}
