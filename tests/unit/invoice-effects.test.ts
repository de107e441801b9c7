import { describe, expect, it } from "vitest";
import { byRegisteredKind, registerInvoiceEffect } from "../../lib/billing/invoice-effects";

// Billing applies its own invoice kinds; a kind another context sells (BILL-3's packs) takes the effect it registered.
describe("invoice effects by kind", () => {
  it("BILL-3: billing's own kinds take no registered effect, and a kind nobody registered stops the settling", () => {
    expect(
      byRegisteredKind([{ kind: "subscribe" }, { kind: "renewal" }, { kind: "upgrade" }, { kind: "top_up" }]),
    ).toEqual([]);
    expect(() => byRegisteredKind([{ kind: "subscribe" }, { kind: "gift_card" }])).toThrow(
      /no effect registered for invoice kind gift_card/,
    );
    expect(() => registerInvoiceEffect("top_up", {} as never)).toThrow(/billing's own/);
  });

  it("BILL-3: a registered kind's invoices are handed to its effect, grouped", () => {
    const effect = {
      paidPostings: async () => [],
      paid: async () => {},
      voided: async () => {},
      refundable: { left: async () => null, take: async () => {} },
    };
    registerInvoiceEffect("test_kind", effect);
    const a = { id: "a", kind: "test_kind" };
    const b = { id: "b", kind: "renewal" };
    const c = { id: "c", kind: "test_kind" };
    expect(byRegisteredKind([a, b, c])).toEqual([[effect, [a, c]]]);
  });
});
