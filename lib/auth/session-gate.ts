import type { Db } from "../db";
import { toPublic, type PublicUser } from "./users";

/** Who the session cookie names, and the session version it was issued with. */
export type SessionClaims = { userId: string; sessionVersion: number | undefined };

export type Need = "user" | "admin";

export type GateRefusal = "signed_out" | "unknown_user" | "banned" | "session_revoked" | "not_admin";

export type GateResult = { ok: true; user: PublicUser } | { ok: false; reason: GateRefusal };

/**
 * SEC-1: the one check behind every page, action and route that needs a
 * signed-in user or an admin. The token proves only who signed in and when
 * (its session version); whether that account still exists, is not banned,
 * still has this role and has not ended its sessions since is read from the
 * database on every call, one primary-key read. A token from before session
 * versions (no version) counts as revoked, so an old 30-day token cannot
 * outlive a "sign out everywhere".
 */
export async function checkSession(database: Db, claims: SessionClaims | null, need: Need): Promise<GateResult> {
  if (!claims) return { ok: false, reason: "signed_out" };
  const row = await database.user.findUnique({ where: { id: claims.userId } });
  if (!row) return { ok: false, reason: "unknown_user" };
  if (row.status === "banned") return { ok: false, reason: "banned" };
  if (claims.sessionVersion !== row.sessionVersion) return { ok: false, reason: "session_revoked" };
  if (need === "admin" && row.role !== "admin") return { ok: false, reason: "not_admin" };
  return { ok: true, user: toPublic(row) };
}
