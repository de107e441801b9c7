import type { Db } from "../db";
import { invoiceOf } from "./history";

/**
 * A customer's invoice as an admin opens its receipt: the invoice (null when
 * it is not this customer's) and the name and address printed on it (null
 * when there is no such customer). The caller decides what a missing one means.
 */
export async function customerInvoiceOf(database: Db, customerId: string, invoiceId: string) {
  const [customer, invoice] = await Promise.all([
    database.user.findUnique({ where: { id: customerId }, select: { name: true, email: true } }),
    invoiceOf(database, customerId, invoiceId),
  ]);
  return { customer, invoice };
}
