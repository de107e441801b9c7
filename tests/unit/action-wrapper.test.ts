import { redirect } from "next/navigation";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { BillingError } from "../../lib/billing/errors";
import { DomainError } from "../../lib/errors/domain-error";
import { action, fromForm } from "../../lib/http/action";
import { toApiError } from "../../lib/http/api-error";
import { PolicyError } from "../../lib/policy/violations";
import { PaymentUnavailableError } from "../../lib/payments/port";
import { KeyError } from "../../lib/quota/keys";

// caller "anyone" keeps these tests off the session (and so off the database); the session gate is SEC-1's tests'.
const schema = z.object({ name: z.string().trim().min(1, "name_required").max(10, "name_too_long") });
const form = (fields: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
};
const throwing = (e: unknown) => action(schema, async () => Promise.reject(e), { caller: "anyone" });

describe("action(): one wrapper for every server action", () => {
  it("action result: the handler gets the parsed input and its answer is passed on", async () => {
    const act = action(schema, async ({ name }) => ({ ok: true as const, name }), { caller: "anyone" });
    expect(await act(null, form({ name: "  Ada " }))).toEqual({ ok: true, name: "Ada" });
  });

  it("action result: input the schema refuses answers invalid_input with its field keys, and the handler never runs", async () => {
    let ran = false;
    const act = action(schema, async () => ((ran = true), { ok: true as const }), { caller: "anyone" });
    expect(await act(null, form({ name: "x".repeat(11) }))).toEqual({
      ok: false,
      error: "invalid_input",
      fieldErrors: { name: "name_too_long" },
    });
    expect(ran).toBe(false);
  });

  it("action result: a call that is not a form is bad input, not a 500", async () => {
    const act = action(schema, async () => ({ ok: true as const }), { caller: "anyone" });
    expect(await act(null, "name=x" as unknown as FormData)).toEqual({ ok: false, error: "invalid_input" });
    const picked = action(schema, async () => ({ ok: true as const }), {
      caller: "anyone",
      read: fromForm((f) => ({ name: f.get("name") })),
    });
    expect(await picked(null, { get: () => "x" } as unknown as FormData)).toEqual({
      ok: false,
      error: "invalid_input",
    });
  });

  it("action result: a refusal answers its message key, with params only when it has them", async () => {
    const billing = await throwing(new BillingError("inside_cutoff", { cutoff: "2026-01-01T00:00:00Z" }))(
      null,
      form({ name: "a" }),
    );
    expect(billing).toStrictEqual({ ok: false, error: "inside_cutoff", params: { cutoff: "2026-01-01T00:00:00Z" } });
    expect(await throwing(new BillingError("sold_out"))(null, form({ name: "a" }))).toStrictEqual({
      ok: false,
      error: "sold_out",
      params: {},
    });
    expect(await throwing(new PolicyError("already_decided"))(null, form({ name: "a" }))).toStrictEqual({
      ok: false,
      error: "already_decided",
    });
    expect(await throwing(new KeyError("too_many_keys"))(null, form({ name: "a" }))).toStrictEqual({
      ok: false,
      error: "too_many_keys",
      params: { max: "20" },
    });
  });

  it("action result: a processor outage is errors.processor_unavailable (503), its cause kept in its code", async () => {
    const outage = new PaymentUnavailableError("rate_limited", "slow down");
    expect(outage).toBeInstanceOf(DomainError);
    expect([outage.code, outage.key, outage.status]).toEqual(["rate_limited", "processor_unavailable", 503]);
    expect(await throwing(outage)(null, form({ name: "a" }))).toStrictEqual({
      ok: false,
      error: "processor_unavailable",
    });
  });

  it("action result: redirect() and anything that is not a refusal pass through untouched", async () => {
    const act = action(schema, async () => redirect("/elsewhere"), { caller: "anyone" });
    await expect(act(null, form({ name: "a" }))).rejects.toMatchObject({
      digest: expect.stringMatching(/^NEXT_REDIRECT/),
    });
    const bug = new Error("a bug");
    await expect(throwing(bug)(null, form({ name: "a" }))).rejects.toBe(bug);
    const thrownZod = z.string().safeParse(1).error;
    await expect(throwing(thrownZod)(null, form({ name: "a" }))).rejects.toBe(thrownZod);
  });

  it("action result: a screen may show a refusal its own way, falling back to the key for the rest", async () => {
    const refused = (e: DomainError) =>
      e.code === "reason_required" ? { ok: false as const, error: "x", fieldErrors: { reason: e.key } } : null;
    const with_ = (e: unknown) => action(schema, async () => Promise.reject(e), { caller: "anyone", refused });
    expect(await with_(new PolicyError("reason_required"))(null, form({ name: "a" }))).toEqual({
      ok: false,
      error: "x",
      fieldErrors: { reason: "reason_required" },
    });
    expect(await with_(new PolicyError("not_banned"))(null, form({ name: "a" }))).toEqual({
      ok: false,
      error: "not_banned",
    });
  });
});

describe("DomainError: one error model", () => {
  it("action result: every context's refusal is a DomainError with its status, and routes answer it as before", async () => {
    expect(new BillingError("account_banned").status).toBe(403);
    expect(new KeyError("key_not_found").status).toBe(404);
    const answer = toApiError(new DomainError("database_unavailable", "The database does not answer.", 503));
    expect(answer.status).toBe(503);
    expect(await answer.json()).toEqual({
      error: { code: "database_unavailable", message: "The database does not answer." },
    });
  });
});
