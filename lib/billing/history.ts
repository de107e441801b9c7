import type { Db } from "../db";

/** A user's invoices, newest first, with their lines and the refunds made on their card payments (REFUND-1). */
export function invoicesOf(database: Db, userId: string, take = 100) {
  return database.invoice.findMany({
    where: { userId },
    include: {
      lines: { orderBy: { id: "asc" } },
      payments: { where: { status: "succeeded" }, select: { refunds: { where: { status: "succeeded" }, orderBy: { createdAt: "asc" } } } },
    },
    orderBy: { number: "desc" },
    take,
  });
}

export function invoiceOf(database: Db, userId: string, invoiceId: string) {
  return database.invoice.findFirst({ where: { id: invoiceId, userId }, include: { lines: { orderBy: { id: "asc" } } } });
}
