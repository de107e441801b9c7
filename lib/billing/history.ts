import type { Db } from "../db";

/**
 * A user's invoices, newest first, with their lines, the refunds made on
 * their card payments (REFUND-1) and the credit notes those refunds issued (INV-1).
 */
export function invoicesOf(database: Db, userId: string, take = 100) {
  return database.invoice.findMany({
    where: { userId },
    include: {
      lines: { orderBy: { id: "asc" } },
      payments: {
        where: { status: "succeeded" },
        select: {
          refunds: {
            where: { status: "succeeded" },
            orderBy: { createdAt: "asc" },
            include: { creditNote: { select: { id: true, number: true } } },
          },
        },
      },
    },
    orderBy: { number: "desc" },
    take,
  });
}

export function invoiceOf(database: Db, userId: string, invoiceId: string) {
  return database.invoice.findFirst({
    where: { id: invoiceId, userId },
    include: { lines: { orderBy: { id: "asc" } } },
  });
}

/** A user's credit notes, newest first, with their lines and the invoice each corrects. */
export function creditNotesOf(database: Db, userId: string, take = 10_000) {
  return database.creditNote.findMany({
    where: { userId },
    include: { lines: { orderBy: { id: "asc" } }, invoice: { select: { number: true, legalNumber: true } } },
    orderBy: { issuedAt: "desc" },
    take,
  });
}

export function creditNoteOf(database: Db, userId: string, creditNoteId: string) {
  return database.creditNote.findFirst({
    where: { id: creditNoteId, userId },
    include: {
      lines: { orderBy: { id: "asc" } },
      invoice: { select: { number: true, legalNumber: true, kind: true } },
      refund: { select: { reason: true } },
    },
  });
}
