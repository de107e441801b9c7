import type { Db, Prisma } from "../db";
import { likeLiteral } from "../db/like";

/** API key secrets start `cp_` and the keys screen shows their first 11 characters (see lib/quota/keys.ts). */
const KEY_PREFIX_LENGTH = 11;

export type CustomerHit = {
  id: string;
  email: string;
  name: string | null;
  region: string;
  role: string;
  status: string;
  createdAt: Date;
  /** The live subscription's tier, if any. */
  tier: string | null;
  /** Key prefixes that matched the search, when it was a key. */
  matchedKeys: string[];
};

/**
 * What an admin pasted as a key: the prefix the keys screen shows (with its
 * "…"), part of it, or a whole secret. Only the prefix is ever compared.
 */
export function keyPrefixOf(query: string): string | null {
  const text = query.trim().replace(/(…|\.\.\.)$/, "");
  return /^cp_[A-Za-z0-9_-]*$/.test(text) && text.length > 3 ? text.slice(0, KEY_PREFIX_LENGTH) : null;
}

/**
 * Customers whose e-mail or name contains the query (any case), or who own an
 * API key starting with it. Newest first, at most `limit`.
 */
export async function searchCustomers(database: Db, query: string, limit = 50): Promise<CustomerHit[]> {
  const q = query.trim();
  if (!q) return [];
  const text = likeLiteral(q);
  const prefix = keyPrefixOf(q);
  const keyFilter: Prisma.ApiKeyWhereInput | null = prefix ? { prefix: { startsWith: likeLiteral(prefix) } } : null;
  const rows = await database.user.findMany({
    where: {
      OR: [
        { email: { contains: text, mode: "insensitive" } },
        { name: { contains: text, mode: "insensitive" } },
        ...(keyFilter ? [{ apiKeys: { some: keyFilter } }] : []),
      ],
    },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    take: limit,
    select: {
      id: true,
      email: true,
      name: true,
      region: true,
      role: true,
      status: true,
      createdAt: true,
      subscriptions: { where: { status: { not: "expired" } }, select: { tier: true }, take: 1 },
      apiKeys: { where: keyFilter ?? { id: { in: [] } }, select: { prefix: true }, orderBy: { createdAt: "desc" } },
    },
  });
  return rows.map(({ subscriptions, apiKeys, ...u }) => ({
    ...u,
    tier: subscriptions[0]?.tier ?? null,
    matchedKeys: apiKeys.map((k) => k.prefix),
  }));
}
