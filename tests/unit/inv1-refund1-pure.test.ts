import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatDocumentNumber, invoiceLabel, seriesYear } from "../../lib/billing/document-number";
import { cashTakeOf, excessPartOf } from "../../lib/billing/refund-split";

describe("INV-1: document numbers", () => {
  it("INV-1: invoices read INTL-2027-000042 / CN-2027-000045; credit notes have their own CR series", () => {
    expect(formatDocumentNumber("invoice", "intl", 2027, 42)).toBe("INTL-2027-000042");
    expect(formatDocumentNumber("invoice", "cn", 2027, 45)).toBe("CN-2027-000045");
    expect(formatDocumentNumber("credit_note", "intl", 2027, 1)).toBe("INTL-CR-2027-000001");
    expect(formatDocumentNumber("credit_note", "cn", 2028, 7)).toBe("CN-CR-2028-000007");
  });

  it("INV-1: the series year is the calendar year in the region's zone", () => {
    const t = new Date("2027-12-31T16:00:00Z");
    expect(seriesYear(t, "UTC")).toBe(2027);
    expect(seriesYear(t, "Asia/Shanghai")).toBe(2028);
    expect(seriesYear(new Date("2027-12-31T15:59:59.999Z"), "Asia/Shanghai")).toBe(2027);
  });

  it("INV-1: an invoice without a legal number (open, void, or paid before the series) keeps its internal one", () => {
    expect(invoiceLabel({ legalNumber: null, number: 17n })).toBe("17");
    expect(invoiceLabel({ legalNumber: "INTL-2027-000001", number: 17n })).toBe("INTL-2027-000001");
  });
});

describe("REFUND-1: splitting a card refund", () => {
  it("REFUND-1: WALLET-1's 0.50 charge with 0.30 excess: refunded whole, 0.30 is excess; in halves 0.15 + 0.15", () => {
    expect(
      excessPartOf({
        cardMinor: 50n,
        excessMinor: 30n,
        refundedBeforeMinor: 0n,
        excessBeforeMinor: 0n,
        refundMinor: 50n,
      }),
    ).toBe(30n);
    expect(
      excessPartOf({
        cardMinor: 50n,
        excessMinor: 30n,
        refundedBeforeMinor: 0n,
        excessBeforeMinor: 0n,
        refundMinor: 25n,
      }),
    ).toBe(15n);
    expect(
      excessPartOf({
        cardMinor: 50n,
        excessMinor: 30n,
        refundedBeforeMinor: 25n,
        excessBeforeMinor: 15n,
        refundMinor: 25n,
      }),
    ).toBe(15n);
    expect(cashTakeOf(30n, 10n)).toEqual({ takeMinor: 10n, shortfallMinor: 20n });
    expect(cashTakeOf(30n, 0n)).toEqual({ takeMinor: 0n, shortfallMinor: 30n });
  });

  it("REFUND-1: any partial refunds that add up to the charge take back exactly the whole excess, each part within its refund", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 0, max: 100 }),
        fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 8 }),
        (card, excessPct, weights) => {
          const cardMinor = BigInt(card);
          const excessMinor = (cardMinor * BigInt(excessPct)) / 100n;
          const total = weights.reduce((s, w) => s + w, 0);
          let refunded = 0n;
          let excessBack = 0n;
          weights.forEach((w, i) => {
            const refundMinor =
              i === weights.length - 1 ? cardMinor - refunded : (cardMinor * BigInt(w)) / BigInt(total);
            if (refundMinor <= 0n) return;
            const part = excessPartOf({
              cardMinor,
              excessMinor,
              refundedBeforeMinor: refunded,
              excessBeforeMinor: excessBack,
              refundMinor,
            });
            expect(part >= 0n && part <= refundMinor).toBe(true);
            refunded += refundMinor;
            excessBack += part;
          });
          expect(excessBack).toBe(excessMinor);
        },
      ),
    );
  });
});
