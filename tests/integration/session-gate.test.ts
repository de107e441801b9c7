import { describe, expect, it } from "vitest";
import { checkSession } from "../../lib/auth/session-gate";
import { stopChargesOnBan } from "../../lib/billing/ban";
import { signOutEverywhere } from "../../lib/auth/sign-out-everywhere";
import { at } from "../support/billing";
import { setupFreshDatabase } from "../support/database";

const t = setupFreshDatabase();
const now = at("2027-05-01T00:00:00Z");

async function person(role: "admin" | "subscriber" = "admin") {
  const u = await t.db.user.create({
    data: { email: `gate-${crypto.randomUUID()}@example.test`, role, createdAt: now, updatedAt: now },
  });
  return { userId: u.id, sessionVersion: u.sessionVersion };
}

describe("SEC-1: the session gate reads the account from the database on every call", () => {
  it("SEC-1: an admin whose token matches the account passes as admin and as user", async () => {
    const claims = await person();
    for (const need of ["admin", "user"] as const) {
      const gate = await checkSession(t.db, claims, need);
      expect(gate).toMatchObject({ ok: true, user: { id: claims.userId, role: "admin" } });
    }
  });

  it("SEC-1: an admin demoted in the database is refused as admin at once, though still a signed-in user", async () => {
    const claims = await person();
    await t.db.user.update({ where: { id: claims.userId }, data: { role: "subscriber" } });
    expect(await checkSession(t.db, claims, "admin")).toEqual({ ok: false, reason: "not_admin" });
    expect(await checkSession(t.db, claims, "user")).toMatchObject({ ok: true, user: { role: "subscriber" } });
  });

  it("SEC-1: a banned account is refused everywhere, admin or not", async () => {
    for (const role of ["admin", "subscriber"] as const) {
      const claims = await person(role);
      await t.db.user.update({ where: { id: claims.userId }, data: { status: "banned" } });
      expect(await checkSession(t.db, claims, "user")).toEqual({ ok: false, reason: "banned" });
      expect(await checkSession(t.db, claims, "admin")).toEqual({ ok: false, reason: "banned" });
    }
  });

  it("SEC-1: a ban ends every session for good: once it is lifted, the tokens from before it stay refused", async () => {
    const claims = await person("subscriber");
    await t.db.$transaction(async (tx) => {
      await tx.user.update({ where: { id: claims.userId }, data: { status: "banned" } });
      await stopChargesOnBan(tx, claims.userId, now, null);
    });
    await t.db.user.update({ where: { id: claims.userId }, data: { status: "active" } });
    expect((await checkSession(t.db, claims, "user")).ok).toBe(false);
  });

  it("SEC-1: a restricted (throttled) account is still signed in: only a ban ends sessions", async () => {
    const claims = await person("subscriber");
    await t.db.user.update({ where: { id: claims.userId }, data: { status: "restricted" } });
    expect(await checkSession(t.db, claims, "user")).toMatchObject({ ok: true });
  });

  it("SEC-1: a deleted account is refused", async () => {
    const claims = await person();
    await t.db.user.delete({ where: { id: claims.userId } });
    expect(await checkSession(t.db, claims, "admin")).toEqual({ ok: false, reason: "unknown_user" });
    expect(await checkSession(t.db, claims, "user")).toEqual({ ok: false, reason: "unknown_user" });
  });

  it("SEC-1: no session is refused", async () => {
    expect(await checkSession(t.db, null, "user")).toEqual({ ok: false, reason: "signed_out" });
  });

  it("SEC-1: a token whose session version differs from the account's is refused, and a token from before versions too", async () => {
    const claims = await person();
    for (const sessionVersion of [claims.sessionVersion + 1, claims.sessionVersion - 1, undefined]) {
      expect(await checkSession(t.db, { ...claims, sessionVersion }, "user")).toEqual({
        ok: false,
        reason: "session_revoked",
      });
    }
  });

  it("SEC-1: sign out everywhere ends every token issued before it (this one too) and is audited; a token issued after passes", async () => {
    const claims = await person("subscriber");
    await signOutEverywhere(t.db, claims.userId, now);
    expect(await checkSession(t.db, claims, "user")).toEqual({ ok: false, reason: "session_revoked" });
    const fresh = { ...claims, sessionVersion: claims.sessionVersion + 1 };
    expect(await checkSession(t.db, fresh, "user")).toMatchObject({ ok: true });
    const audits = await t.db.auditLog.findMany({
      where: { subjectId: claims.userId, action: "auth.sign_out_everywhere" },
    });
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({
      actorId: claims.userId,
      before: { sessionVersion: 0 },
      after: { sessionVersion: 1 },
    });
  });

  it("SEC-1: two sign-outs everywhere at once both count: neither's increment is lost", async () => {
    const claims = await person("subscriber");
    await Promise.all([signOutEverywhere(t.db, claims.userId, now), signOutEverywhere(t.db, claims.userId, now)]);
    const row = await t.db.user.findUniqueOrThrow({ where: { id: claims.userId } });
    expect(row.sessionVersion).toBe(2);
  });
});
