import { registerInvoiceEffect } from "../billing/invoice-effects";
import { packLeftForRefund, takeFromPack } from "./pack-refund";
import { activatePacks, closeUnpaidPacks, packPostings } from "./packs";

// BILL-3: a paid pack invoice fills the user's packs, a voided one closes its pack unpaid,
// and a refund comes out of what the pack still holds (REFUND-1).
registerInvoiceEffect("pack", {
  paidPostings: packPostings,
  paid: activatePacks,
  voided: closeUnpaidPacks,
  refundable: { left: packLeftForRefund, take: takeFromPack },
});
