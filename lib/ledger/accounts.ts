export type UserAccountKind = "user_credits" | "user_cash" | "user_packs";
export type SystemAccountKind = "revenue" | "payments_clearing" | "promotions" | "refunds";

/** Where an entry goes: a user's wallet account or a system account, per currency. */
export type AccountRef =
  { kind: UserAccountKind; userId: string; currency: string } | { kind: SystemAccountKind; currency: string };

export const userCash = (userId: string, currency: string): AccountRef => ({ kind: "user_cash", userId, currency });
export const userCredits = (userId: string, currency: string): AccountRef => ({
  kind: "user_credits",
  userId,
  currency,
});
/** What is left in the user's resource packs, all packs together (BILL-3; per pack in resource_packs). */
export const userPacks = (userId: string, currency: string): AccountRef => ({ kind: "user_packs", userId, currency });
export const system = (kind: SystemAccountKind, currency: string): AccountRef => ({ kind, currency });
