import { cardPaymentsOf, invoicesOf } from "../billing";
import type { Db } from "../db";
import { balancesOf, movementsOf } from "../ledger";
import { listKeys } from "../quota";

/**
 * Everything an admin reads about one customer, in one parallel round: the
 * profile, the latest subscription (live or ended) with its plan version,
 * money (balances, ledger movements, invoices, card payments), resource packs
 * and API keys. Null when there is no such user.
 */
export async function customerView(database: Db, userId: string) {
  const user = await database.user.findUnique({
    where: { id: userId },
    select: {
      id: true,
      email: true,
      name: true,
      region: true,
      role: true,
      status: true,
      locale: true,
      createdAt: true,
    },
  });
  if (!user) return null;
  const [subscription, balances, movements, invoices, payments, packs, keys] = await Promise.all([
    // SUB-9 allows one live subscription, so the newest row is the live one when there is one.
    database.subscription.findFirst({
      where: { userId },
      orderBy: { createdAt: "desc" },
      include: { planVersion: { select: { version: true, current: true } } },
    }),
    balancesOf(database, userId),
    movementsOf(database, userId, 50),
    invoicesOf(database, userId, 50),
    cardPaymentsOf(database, userId),
    database.resourcePack.findMany({ where: { userId }, orderBy: { createdAt: "desc" }, take: 50 }),
    listKeys(database, userId),
  ]);
  return { user, subscription, balances, movements, invoices, payments, packs, keys };
}

export type CustomerView = NonNullable<Awaited<ReturnType<typeof customerView>>>;
