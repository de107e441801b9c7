import { describe, expect, it } from "vitest";
import { authenticate } from "../../lib/auth/users";
import { followSignUpLink, requestAccount, signUpAndConfirm } from "../support/accounts";
import { setupFreshDatabase } from "../support/database";

const t = setupFreshDatabase();

const policy = { maxFailures: 5, windowSeconds: 60 };
const T0 = new Date("2027-03-09T12:00:00Z");
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

const newUser = (email: string, password = "correct horse battery") =>
  signUpAndConfirm(t.db, { email, password, name: "Test" }, T0);

describe("sign-up", () => {
  it("stores an argon2id hash, never the password, and audits the sign-up", async () => {
    const user = await newUser("Hash.Check@Example.com ");
    const row = await t.db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.email).toBe("hash.check@example.com");
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
    expect(row.passwordHash).not.toContain("correct horse");
    const audit = await t.db.auditLog.findMany({ where: { subjectId: user.id } });
    expect(audit.map((a) => a.action)).toEqual(["user.sign_up"]);
  });

  it("SEC-2: a sign-up for an address that has an account, in any letter case, answers the same, mails its owner and changes nothing", async () => {
    await newUser("taken@example.com");
    const before = { users: await t.db.user.count(), pending: await t.db.signUpRequest.count() };
    const { mails } = await requestAccount(t.db, { email: "TAKEN@example.com", password: "another password" }, T0);
    expect(mails.map((m) => [m.to, m.subject])).toEqual([["taken@example.com", "You already have a CodePlan account"]]);
    expect({ users: await t.db.user.count(), pending: await t.db.signUpRequest.count() }).toEqual(before);
    // The password typed there was not saved: the account's own still works, the new one does not.
    const policyNow = { now: at(0), ip: "10.5.0.1", policy };
    expect((await authenticate(t.db, { email: "taken@example.com", password: "another password" }, policyNow)).ok).toBe(
      false,
    );
    expect(
      (
        await authenticate(
          t.db,
          { email: "taken@example.com", password: "correct horse battery" },
          { ...policyNow, now: at(1) },
        )
      ).ok,
    ).toBe(true);
  });

  it("SEC-2: a new address gets a confirmation and no account until its link is followed; then the account has the password given", async () => {
    const { mails } = await requestAccount(
      t.db,
      { email: "new@example.com", password: "brand new password", name: "New" },
      T0,
    );
    expect(mails.map((m) => m.subject)).toEqual(["Confirm your e-mail to finish signing up to CodePlan"]);
    expect(await t.db.user.count({ where: { email: "new@example.com" } })).toBe(0);
    expect(
      await authenticate(
        t.db,
        { email: "new@example.com", password: "brand new password" },
        { now: at(0), ip: "10.6.0.1", policy },
      ),
    ).toEqual({ ok: false, error: "invalid_credentials" });
    const user = await followSignUpLink("new@example.com", T0);
    expect(await t.db.user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({ name: "New", locale: "en" });
    expect(
      (
        await authenticate(
          t.db,
          { email: "new@example.com", password: "brand new password" },
          { now: at(1), ip: "10.6.0.1", policy },
        )
      ).ok,
    ).toBe(true);
    expect(await t.db.signUpRequest.count({ where: { email: "new@example.com" } })).toBe(0);
  });

  it("ten simultaneous sign-ups with one address leave one account once a link is followed, and one audit entry", async () => {
    await Promise.all(
      Array.from({ length: 10 }, () =>
        requestAccount(t.db, { email: "race@example.com", password: "race password 1" }, T0),
      ),
    );
    const follows = await Promise.allSettled(Array.from({ length: 3 }, () => followSignUpLink("race@example.com", T0)));
    expect(follows.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await t.db.user.count({ where: { email: "race@example.com" } })).toBe(1);
    expect(
      await t.db.auditLog.count({
        where: { action: "user.sign_up", after: { path: ["email"], equals: "race@example.com" } },
      }),
    ).toBe(1);
  });
});

describe("password sign-in", () => {
  it("accepts the right password and refuses a wrong one or an unknown e-mail with the same error", async () => {
    const user = await newUser("sign.in@example.com");
    const ok = await authenticate(
      t.db,
      { email: "sign.in@example.com", password: "correct horse battery" },
      { now: at(0), ip: "10.1.0.1", policy },
    );
    expect(ok).toMatchObject({ ok: true, user: { id: user.id } });
    const wrong = await authenticate(
      t.db,
      { email: "sign.in@example.com", password: "wrong" },
      { now: at(1), ip: "10.1.0.1", policy },
    );
    const unknown = await authenticate(
      t.db,
      { email: "nobody@example.com", password: "wrong" },
      { now: at(1), ip: "10.1.0.1", policy },
    );
    expect(wrong).toEqual({ ok: false, error: "invalid_credentials" });
    expect(unknown).toEqual({ ok: false, error: "invalid_credentials" });
  });

  it("throttle: after 5 failures in a minute from one address the 6th attempt is refused, even with the right password, until the window passes", async () => {
    await newUser("throttled@example.com");
    const ip = "10.2.0.1";
    const attempt = (password: string, s: number) =>
      authenticate(t.db, { email: "throttled@example.com", password }, { now: at(s), ip, policy });
    for (let i = 0; i < 5; i++) expect(await attempt("wrong", i)).toEqual({ ok: false, error: "invalid_credentials" });
    const refused = await attempt("correct horse battery", 10);
    expect(refused).toEqual({ ok: false, error: "throttled", retryAfterSeconds: 50 });
    // The same e-mail from another address is not blocked by this one's failures.
    expect(
      (
        await authenticate(
          t.db,
          { email: "throttled@example.com", password: "correct horse battery" },
          { now: at(11), ip: "10.2.0.2", policy },
        )
      ).ok,
    ).toBe(true);
    // Once the first failures are older than the window, the right password works again.
    expect((await attempt("correct horse battery", 62)).ok).toBe(true);
  });

  it("throttle: 20 simultaneous wrong guesses get exactly 5 password checks; the other 15 are throttled", async () => {
    await newUser("parallel@example.com");
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        authenticate(
          t.db,
          { email: "parallel@example.com", password: "guess" },
          { now: at(0), ip: "10.3.0.1", policy },
        ),
      ),
    );
    const checked = results.filter((r) => !r.ok && r.error === "invalid_credentials").length;
    expect(checked).toBe(5);
    expect(results.filter((r) => !r.ok && r.error === "throttled")).toHaveLength(15);
  });

  it("a banned account cannot sign in", async () => {
    const user = await newUser("banned@example.com");
    await t.db.user.update({ where: { id: user.id }, data: { status: "banned" } });
    const r = await authenticate(
      t.db,
      { email: "banned@example.com", password: "correct horse battery" },
      { now: at(0), ip: "10.4.0.1", policy },
    );
    expect(r).toEqual({ ok: false, error: "banned" });
  });
});
