import { cache } from "react";
import { notFound, redirect } from "next/navigation";
import { apiError } from "../http/api-error";
import { db } from "../db";
import { readSessionClaims } from "./session-claims";
import { checkSession, type GateResult } from "./session-gate";
import type { PublicUser } from "./users";

/**
 * SEC-1: the session checked against the database once per request (React's
 * cache shares it between the layout, the page and its parts), so a role
 * change, a ban, a deleted account or "sign out everywhere" takes effect on
 * the next request even though the session is a 30-day JWT.
 */
const currentSession = cache(async (): Promise<GateResult> => {
  const claims = await readSessionClaims();
  // No cookie, no database: `next build` prerenders the not-found page with no database at hand.
  if (!claims) return { ok: false, reason: "signed_out" };
  return checkSession(db(), claims, "user");
});

export async function getCurrentUser(): Promise<PublicUser | null> {
  const gate = await currentSession();
  return gate.ok ? gate.user : null;
}

/** Account pages: anyone not (or no longer) signed in goes to the sign-in page. */
export async function requireUser(): Promise<PublicUser> {
  const user = await getCurrentUser();
  if (!user) redirect("/sign-in");
  return user;
}

async function currentAdmin(): Promise<PublicUser | null> {
  const user = await getCurrentUser();
  return user?.role === "admin" ? user : null;
}

/**
 * Admin pages answer 404 to everyone else: they do not even confirm they
 * exist. Every admin page calls this itself, not only the layout, because a
 * layout does not run again on a client-side navigation inside the area.
 */
export async function requireAdmin(): Promise<PublicUser> {
  const admin = await currentAdmin();
  if (!admin) notFound();
  return admin;
}

export type AdminGate = { ok: true; admin: PublicUser } | { ok: false; error: "forbidden" };

/** Admin server actions: a refusal the form shows (errors.forbidden), before anything is read or written. */
export async function adminForAction(): Promise<AdminGate> {
  const admin = await currentAdmin();
  return admin ? { ok: true, admin } : { ok: false, error: "forbidden" };
}

/** Admin route handlers: the admin, or the 403 answer to send instead. */
export async function adminForRoute(): Promise<{ ok: true; admin: PublicUser } | { ok: false; response: Response }> {
  const admin = await currentAdmin();
  return admin ? { ok: true, admin } : { ok: false, response: apiError(403, "forbidden", "Admins only.") };
}
