import type pg from "pg";
import { jsonRows } from "../db/json-rows";
import { paygLockKeys } from "./balance-lock";
import { postingRows, system, userCash, userCredits, userPacks, type Posting } from "../ledger";
import { accrue } from "./accrual";
import type { CallTokens } from "./fee";
import { splitFee, type PackBalance } from "./split";

export type SettleItem = {
  userId: string;
  requestId: string;
  keyId: string;
  model: string;
  currency: string;
  tokens: CallTokens;
  /** The call's exact fee in micro-units of the minor unit (BILL-1, feeMicroFor). */
  feeMicro: bigint;
  at: Date;
};

export type Settlement =
  /** chargedMinor + uncollectedMinor: the whole minor units this call's fee made the accrual cross (accrual.ts). */
  | {
      status: "settled";
      feeMicro: bigint;
      chargedMinor: bigint;
      uncollectedMinor: bigint;
      carryMicro: bigint;
      parts: Part[];
    }
  | { status: "duplicate" };

export type Part = { source: "pack" | "cash" | "bonus"; ref: string; amount: bigint };

type Wallet = { cash: bigint; bonus: bigint; held: bigint; packs: PackBalance[]; carry: bigint; at: Date | null };

/** What api_settle_state answers (amounts as text, times as ISO strings). */
export type State = {
  settled: string[];
  balances: { user_id: string; currency: string; kind: string; balance_minor: string }[];
  packs: {
    id: string;
    user_id: string;
    currency: string;
    remaining_minor: string;
    expires_at: string;
    created_at: string;
  }[];
  holds: { user_id: string; request_id: string; currency: string; amount_minor: string; expires_at: string }[];
  /** The users' accrued fractions below a minor unit (api_accruals); none read as 0. */
  carries?: { user_id: string; currency: string; carry_micro: string }[];
};

const walletKey = (userId: string, currency: string) => `${userId}:${currency}`;

/**
 * BILL-3: settles finished pay-as-you-go calls in one transaction and two
 * round trips: api_settle_state takes the users' balance locks (the ones
 * api_reserve takes, in the same order, so a hold and its settlement never
 * interleave with another call's) and reads what the batch needs;
 * planSettlement splits each fee; api_settle_write writes it all, and the
 * transaction commits. BEGIN and COMMIT travel with the two calls (one
 * simple-protocol query each, the values as one escaped JSON literal):
 * on a busy machine every round trip waits its turn, and the batch's lane
 * waits with it.
 */
export async function settleCalls(pool: pg.Pool, items: SettleItem[]): Promise<Settlement[]> {
  const client = await pool.connect();
  const lit = (v: object) => `${client.escapeLiteral(jsonRows(v))}::jsonb`;
  try {
    const read = {
      locks: paygLockKeys(items),
      calls: items.map((i) => ({ u: i.userId, r: i.requestId })),
      users: [...new Set(items.map((i) => i.userId))],
      earliest: new Date(Math.min(...items.map((i) => i.at.getTime()))),
    };
    const began = (await client.query(
      `BEGIN; SELECT "api_settle_state"(${lit(read)}) AS "state"`,
    )) as unknown as pg.QueryResult<{ state: State }>[];
    const { out, write } = planSettlement(items, began[1].rows[0].state);
    await client.query(`SELECT "api_settle_write"(${lit(write)}); COMMIT`);
    return out;
  } catch (e) {
    await client.query("ROLLBACK").catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}

/**
 * The settlement of a batch, from what api_settle_state read: each call's
 * exact fee is added to the user's accrual (BILL-1, accrue), the whole minor
 * units it crosses are taken from the user's packs, then cash and bonus
 * (splitFee), and the call is recorded with its exact fee and who paid; its
 * hold goes, and the user's new carry is written in the same transaction.
 *
 * A call may cost more than its hold (the upstream counted more prompt tokens
 * than the estimate). It then takes the rest from money nobody else holds;
 * what even that cannot cover (the balance was spent elsewhere meanwhile) is
 * recorded as uncollected, never taken below zero. A request id settled
 * before is answered `duplicate` and changes nothing.
 */
export function planSettlement(items: SettleItem[], state: State): { out: Settlement[]; write: object } {
  const wallets = [...new Set(items.map((i) => walletKey(i.userId, i.currency)))];
  const { settled, balances, packs } = state;
  const holds = state.holds.map((h) => ({ ...h, expires_at: new Date(h.expires_at) }));
  const done = new Set(settled);

  const wallet = new Map<string, Wallet>(
    wallets.map((k) => [k, { cash: 0n, bonus: 0n, held: 0n, packs: [], carry: 0n, at: null }]),
  );
  for (const b of balances) {
    const w = wallet.get(walletKey(b.user_id, b.currency));
    if (w && b.kind === "user_cash") w.cash = BigInt(b.balance_minor);
    if (w && b.kind === "user_credits") w.bonus = BigInt(b.balance_minor);
  }
  for (const c of state.carries ?? []) {
    const w = wallet.get(walletKey(c.user_id, c.currency));
    if (w) w.carry = BigInt(c.carry_micro);
  }
  for (const p of packs)
    wallet.get(walletKey(p.user_id, p.currency))?.packs.push({
      id: p.id,
      remainingMinor: BigInt(p.remaining_minor),
      expiresAt: new Date(p.expires_at),
      createdAt: new Date(p.created_at),
    });

  const out: Settlement[] = [];
  const packTakes = new Map<string, bigint>();
  const postings: Posting[] = [];
  const rows: object[] = [];
  for (const item of items) {
    const callKey = `${item.userId}:${item.requestId}`;
    if (done.has(callKey)) {
      out.push({ status: "duplicate" });
      continue;
    }
    done.add(callKey);
    const w = wallet.get(walletKey(item.userId, item.currency))!;
    // Money other live calls hold is theirs; this call's own hold is released now.
    const live = (h: { expires_at: Date; currency: string } | undefined) =>
      h && h.currency === item.currency && h.expires_at.getTime() > item.at.getTime();
    const heldByOthers = holds
      .filter(
        (h) =>
          h.user_id === item.userId &&
          h.request_id !== item.requestId &&
          live(h) &&
          !done.has(`${h.user_id}:${h.request_id}`),
      )
      .reduce((s, h) => s + BigInt(h.amount_minor), 0n);
    const packTotal = w.packs
      .filter((p) => p.expiresAt.getTime() > item.at.getTime())
      .reduce((s, p) => s + p.remainingMinor, 0n);
    const free = w.cash + w.bonus + packTotal - heldByOthers;
    const { dueMinor: due, carryMicro } = accrue(w.carry, item.feeMicro);
    w.carry = carryMicro;
    w.at = item.at;
    const charged = due <= free ? due : free > 0n ? free : 0n;
    const split = splitFee({
      feeMinor: charged,
      packs: w.packs,
      cashMinor: w.cash,
      bonusMinor: w.bonus,
      now: item.at,
    })!;
    for (const take of split.packs) {
      const p = w.packs.find((x) => x.id === take.id)!;
      p.remainingMinor -= take.amountMinor;
      packTakes.set(take.id, (packTakes.get(take.id) ?? 0n) + take.amountMinor);
    }
    w.cash -= split.cashMinor;
    w.bonus -= split.bonusMinor;
    const packMinor = split.packs.reduce((s, p) => s + p.amountMinor, 0n);
    const parts: Part[] = [
      ...split.packs.map((p) => ({ source: "pack" as const, ref: p.id, amount: p.amountMinor })),
      ...(split.cashMinor > 0n ? [{ source: "cash" as const, ref: "", amount: split.cashMinor }] : []),
      ...(split.bonusMinor > 0n ? [{ source: "bonus" as const, ref: "", amount: split.bonusMinor }] : []),
    ];
    // Every call has a first part, the row its tokens and exact fee are counted on (see UsageDay); a call that crossed no whole unit has cash, 0.
    if (parts.length === 0) parts.push({ source: "cash", ref: "", amount: 0n });
    if (charged > 0n)
      postings.push({
        idempotencyKey: `api_call:${item.userId}:${item.requestId}`,
        kind: "api_call",
        userId: item.userId,
        memo: item.model,
        at: item.at,
        entries: [
          { account: userPacks(item.userId, item.currency), amountMinor: -packMinor },
          { account: userCash(item.userId, item.currency), amountMinor: -split.cashMinor },
          { account: userCredits(item.userId, item.currency), amountMinor: -split.bonusMinor },
          { account: system("revenue", item.currency), amountMinor: charged },
        ],
      });
    rows.push({
      user_id: item.userId,
      request_id: item.requestId,
      key_id: item.keyId,
      model: item.model,
      currency: item.currency,
      input: item.tokens.inputTokens,
      output: item.tokens.outputTokens,
      cached: item.tokens.cachedTokens,
      fee: due,
      fee_micro: item.feeMicro,
      pack: packMinor,
      cash: split.cashMinor,
      bonus: split.bonusMinor,
      uncollected: due - charged,
      parts: parts.map((p) => ({ source: p.source, ref: p.ref, amount: p.amount.toString() })),
      at: item.at,
    });
    out.push({
      status: "settled",
      feeMicro: item.feeMicro,
      chargedMinor: charged,
      uncollectedMinor: due - charged,
      carryMicro,
      parts,
    });
  }

  const takes = [...packTakes].map(([id, amount]) => ({ id, amount }));
  // The carries of the wallets that settled something (a batch of duplicates changes none).
  const carries = [...wallet]
    .filter(([, w]) => w.at)
    .map(([k, w]) => ({ u: k.slice(0, k.indexOf(":")), c: k.slice(k.indexOf(":") + 1), m: w.carry, t: w.at }));
  return {
    out,
    write: {
      takes,
      postings: postingRows(postings),
      calls: rows,
      carries,
      done: items.map((i) => ({ u: i.userId, r: i.requestId })),
    },
  };
}
