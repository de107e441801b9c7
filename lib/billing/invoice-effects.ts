import type { Tx } from "../db";
import type { Posting } from "../ledger";

/** An invoice as settling reads it: its card part and its lines. */
export type EffectInvoice = {
  id: string;
  kind: string;
  cardMinor: bigint;
  lines: { kind: string; amountMinor: bigint }[];
};

/**
 * What paying or voiding an invoice of a kind that another context sells does,
 * in the settling transaction. Billing owns the plan and wallet kinds; a
 * context selling something else (pay-as-you-go packs) registers its kind, so
 * billing never imports it (the dependency runs one way: it onto billing).
 */
export type InvoiceEffect = {
  /** The postings for paid invoices, in place of billing's own card posting. */
  paidPostings: (tx: Tx, invoices: EffectInvoice[], now: Date) => Promise<Posting[]>;
  /** What they bought, in the same transaction. */
  paid: (tx: Tx, invoiceIds: string[], now: Date) => Promise<void>;
  /** The card part failed for good: nothing is bought. */
  voided: (tx: Tx, invoiceIds: string[], now: Date) => Promise<void>;
  /** A refund comes out of what the purchase still holds (under its owner's lock): how much that is, and taking it (negative puts back). */
  refundable: {
    left: (tx: Tx, invoiceId: string) => Promise<{ id: string; leftMinor: bigint } | null>;
    take: (tx: Tx, id: string, amountMinor: bigint) => Promise<void>;
  };
};

/** Invoice kinds whose effects billing applies itself. */
export const BILLING_KINDS: ReadonlySet<string> = new Set(["subscribe", "renewal", "upgrade", "top_up"]);

// One registry per process, even when a bundler loads this module more than once.
const effects: Map<string, InvoiceEffect> = ((
  globalThis as unknown as { codeplanInvoiceEffects?: Map<string, InvoiceEffect> }
).codeplanInvoiceEffects ??= new Map());

export function registerInvoiceEffect(kind: string, effect: InvoiceEffect) {
  if (BILLING_KINDS.has(kind)) throw new Error(`invoice kind ${kind} is billing's own`);
  effects.set(kind, effect);
}

/**
 * The registered effect of a kind billing does not own. Missing means the
 * process never loaded the context that sells it (lib/composition/wiring.ts): settling
 * without it would book the sale and deliver nothing, so it stops here.
 */
export function invoiceEffect(kind: string): InvoiceEffect {
  const effect = effects.get(kind);
  if (!effect)
    throw new Error(`no effect registered for invoice kind ${kind}: import lib/composition/wiring.ts in this process`);
  return effect;
}

/** Invoices grouped by a kind another context registered; billing's own kinds are left out. */
export function byRegisteredKind<T extends { kind: string }>(invoices: T[]): [InvoiceEffect, T[]][] {
  const kinds = [...new Set(invoices.map((i) => i.kind).filter((k) => !BILLING_KINDS.has(k)))];
  return kinds.map((k) => [invoiceEffect(k), invoices.filter((i) => i.kind === k)]);
}
