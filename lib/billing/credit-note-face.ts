import { db } from "../db";
import { creditNoteOf } from "./history";

/**
 * INV-1: what the credit-note routes call. The running app's database is
 * this context's to hold (issue 21), so the routes hand it no handle.
 */
export function creditNoteForUser(userId: string, creditNoteId: string) {
  return creditNoteOf(db(), userId, creditNoteId);
}

/** A customer's credit note with the customer's name and address, as an admin opens it; null when either is missing. */
export async function creditNoteForAdmin(customerId: string, creditNoteId: string) {
  const [customer, note] = await Promise.all([
    db().user.findUnique({ where: { id: customerId }, select: { name: true, email: true } }),
    creditNoteOf(db(), customerId, creditNoteId),
  ]);
  return customer && note ? { customer, note } : null;
}
