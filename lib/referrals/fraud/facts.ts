import type { Tx } from "../../db";
import type { ReferralRules } from "../config";
import type { Account, FraudFacts } from "./define";

const HOUR_MS = 3_600_000;
// Evidence lists stay readable; the counts that decide are taken before this cut.
const LIST_LIMIT = 20;

async function cardFingerprints(tx: Tx, userId: string): Promise<string[]> {
  const rows = await tx.paymentCustomer.findMany({
    where: { userId, cardFingerprint: { not: null } },
    select: { cardFingerprint: true },
  });
  return rows.map((r) => r.cardFingerprint!);
}

async function accountsSeenOn(
  tx: Tx,
  kind: "network" | "device",
  value: string,
  exceptUserId: string,
  since: Date,
): Promise<Account[]> {
  if (value === "unknown") return [];
  const rows = await tx.accountSighting.findMany({
    where: { kind, value, lastSeen: { gte: since }, userId: { not: exceptUserId } },
    select: { user: { select: { id: true, email: true } } },
    orderBy: { lastSeen: "desc" },
    take: LIST_LIMIT,
  });
  return rows.map((r) => r.user);
}

/** Loads what the fraud rules need about one invitation, as of `now`. */
export async function loadFraudFacts(
  tx: Tx,
  referralId: string,
  rules: ReferralRules["fraud"],
  now: Date,
): Promise<FraudFacts> {
  const r = await tx.referral.findUniqueOrThrow({
    where: { id: referralId },
    include: { inviter: { select: { id: true, email: true } }, friend: { select: { id: true, email: true } } },
  });
  // Both sides of the invitation's own sign-up: the first of a burst is caught when it pays or comes up for issuance.
  const bulkSince = new Date(r.createdAt.getTime() - rules.bulkRegistration.windowHours * HOUR_MS);
  const bulkUntil = new Date(r.createdAt.getTime() + rules.bulkRegistration.windowHours * HOUR_MS);
  const sharedSince = new Date(now.getTime() - rules.sharedDevice.windowDays * 24 * HOUR_MS);
  const [siblings, inviterDevices, inviterCards, friendCards, onDevice, onNetwork, orders] = await Promise.all([
    tx.referral.findMany({
      where: { inviterId: r.inviterId, id: { not: r.id }, createdAt: { gte: bulkSince, lte: bulkUntil } },
      select: { id: true, network: true, device: true, createdAt: true, friend: { select: { email: true } } },
      orderBy: { createdAt: "desc" },
    }),
    tx.accountSighting.findMany({ where: { userId: r.inviterId, kind: "device" }, select: { value: true } }),
    cardFingerprints(tx, r.inviterId),
    cardFingerprints(tx, r.friendId),
    accountsSeenOn(tx, "device", r.device, r.friendId, sharedSince),
    accountsSeenOn(tx, "network", r.network, r.friendId, sharedSince),
    tx.$queryRaw<{ paid: bigint; bad: bigint }[]>`
      SELECT count(*) AS paid,
             count(*) FILTER (WHERE "refunded_minor" > 0 OR "reason" IN ('refunded', 'disputed')
                              OR EXISTS (SELECT 1 FROM "payments" p JOIN "disputes" d ON d."payment_id" = p."id" WHERE p."invoice_id" = r."invoice_id")) AS bad
      FROM "referrals" r WHERE r."inviter_id" = ${r.inviterId}::uuid AND r."paid_at" IS NOT NULL`,
  ]);
  return {
    referral: { id: r.id, createdAt: r.createdAt, visitedAt: r.visitedAt, network: r.network, device: r.device },
    inviter: { ...r.inviter, devices: inviterDevices.map((d) => d.value), cardFingerprints: inviterCards },
    friend: { ...r.friend, cardFingerprints: friendCards },
    recentSiblings: siblings.map((s) => ({
      id: s.id,
      network: s.network,
      device: s.device,
      createdAt: s.createdAt,
      friendEmail: s.friend.email,
    })),
    accountsOnDevice: onDevice,
    accountsOnNetwork: onNetwork,
    inviteeOrders: { paid: Number(orders[0]?.paid ?? 0), refundedOrDisputed: Number(orders[0]?.bad ?? 0) },
  };
}
