import { lockUserRow } from "../accounts/lock";
import type { Db, Tx } from "../db";
import { inviterOfCode } from "./code";
import type { Sighting } from "./device";
import { screenReferral } from "./fraud/evaluate";
import { paidSubscriptionsOf } from "../billing/paid-history";
import { recordSighting } from "./sightings";

export type AttributionError = "unknown_code" | "own_code" | "already_invited" | "not_new";
export type Attribution = { ok: true; referralId: string | null } | { ok: false; error: AttributionError };

/** REF-1: a visit to an invite link (or a code at checkout). Null when the code is not a live one. */
export async function recordVisit(
  database: Db | Tx,
  input: { code: string; via: "link" | "code"; sighting: Sighting; now: Date },
) {
  const inviter = await inviterOfCode(database, input.code);
  if (!inviter) return null;
  const { ip, network, device, userAgent } = input.sighting;
  return database.referralVisit.create({
    data: { inviterId: inviter.inviterId, via: input.via, ip, network, device, userAgent, at: input.now },
  });
}

/**
 * Binds a friend to the inviter of a visit (REF-2's first condition). The
 * first inviter keeps the friend; a later visit through the same inviter
 * restarts the 72 hours while nothing is paid yet. A friend who has paid for a
 * subscription before is recorded with the reason, so the inviter sees why
 * nothing came of it (REF-6). Sign-up-stage fraud rules run on a new invitation.
 */
export async function attributeVisit(
  tx: Tx,
  input: { friendId: string; visitId: string; sighting: Sighting; now: Date },
): Promise<Attribution> {
  const visit = await tx.referralVisit.findUnique({ where: { id: input.visitId } });
  if (!visit) return { ok: false, error: "unknown_code" };
  if (visit.inviterId === input.friendId) return { ok: false, error: "own_code" };
  // Locks the friend's row first, before any insert whose foreign key would take a shared lock on it:
  // two attributions at once for one friend queue here instead of deadlocking on the upgrade.
  await lockUserRow(tx, input.friendId);
  await recordSighting(tx, input.friendId, input.sighting, input.now);
  // The link's request could only see headers; the sign-up form sends the browser's own fingerprint (device.ts).
  if (visit.device.startsWith("ua:") && !input.sighting.device.startsWith("ua:"))
    await tx.referralVisit.update({ where: { id: visit.id }, data: { device: input.sighting.device } });
  const existing = await tx.referral.findUnique({ where: { friendId: input.friendId } });
  if (existing) {
    if (existing.inviterId !== visit.inviterId) return { ok: false, error: "already_invited" };
    if (existing.state === "signed_up" && visit.at > existing.visitedAt)
      await tx.referral.update({
        where: { id: existing.id },
        data: { visitId: visit.id, via: visit.via, visitedAt: visit.at, updatedAt: input.now },
      });
    return { ok: true, referralId: existing.id };
  }
  const paidBefore = await paidSubscriptionsOf(tx, input.friendId);
  const referral = await tx.referral.create({
    data: {
      inviterId: visit.inviterId,
      friendId: input.friendId,
      visitId: visit.id,
      via: visit.via,
      visitedAt: visit.at,
      network: input.sighting.network,
      device: input.sighting.device,
      state: paidBefore > 0 ? "void" : "signed_up",
      reason: paidBefore > 0 ? "not_new" : null,
      createdAt: input.now,
      updatedAt: input.now,
    },
  });
  if (referral.state === "signed_up") await screenReferral(tx, referral.id, "signup", input.now);
  return { ok: true, referralId: referral.id };
}

/** REF-1: a code typed at checkout counts as a visit now, then attributes like a link. */
export async function applyInviteCode(
  database: Db,
  input: { friendId: string; code: string; sighting: Sighting; now: Date },
): Promise<Attribution> {
  return database.$transaction(async (tx) => {
    // The friend's row first, as attributeVisit takes it: one lock order for every attribution.
    await lockUserRow(tx, input.friendId);
    const inviter = await inviterOfCode(tx, input.code);
    if (!inviter) return { ok: false, error: "unknown_code" };
    if (inviter.inviterId === input.friendId) return { ok: false, error: "own_code" };
    // A code is an offer for new subscribers: say so, rather than record an invitation that cannot succeed.
    if ((await paidSubscriptionsOf(tx, input.friendId)) > 0) return { ok: false, error: "not_new" };
    const visit = await recordVisit(tx, { code: inviter.code, via: "code", sighting: input.sighting, now: input.now });
    return attributeVisit(tx, {
      friendId: input.friendId,
      visitId: visit!.id,
      sighting: input.sighting,
      now: input.now,
    });
  });
}

/** Whether the visit in the cookie is already this friend's attribution (read-only: pages ask this, actions attribute). */
export async function visitAttributed(database: Db, friendId: string, visitId: string): Promise<boolean> {
  const done = await database.referral.findUnique({ where: { friendId }, select: { visitId: true } });
  return done?.visitId === visitId;
}

/** Attribution from a visit cookie (sign-up, or a signed-in visitor); a visit that no longer exists is ignored. */
export async function attributeFromVisit(
  database: Db,
  input: { friendId: string; visitId: string | undefined; sighting: Sighting; now: Date },
): Promise<Attribution | null> {
  if (!input.visitId || !/^[0-9a-f-]{36}$/.test(input.visitId)) return null;
  // The checkout asks on every view that carries the cookie: a visit already attributed needs no lock and no write.
  const done = await database.referral.findUnique({
    where: { friendId: input.friendId },
    select: { id: true, visitId: true },
  });
  if (done?.visitId === input.visitId) return { ok: true, referralId: done.id };
  return database.$transaction((tx) =>
    attributeVisit(tx, { friendId: input.friendId, visitId: input.visitId!, sighting: input.sighting, now: input.now }),
  );
}
