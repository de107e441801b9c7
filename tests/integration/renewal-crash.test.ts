import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { subscribe } from "../../lib/billing";
import { grantCredits } from "../../lib/ledger";
import { setupFreshDatabase } from "../support/database";
import { fakePayments } from "../support/fake-payments";

const t = setupFreshDatabase();
const children: ChildProcess[] = [];
afterEach(() => children.forEach((c) => c.exitCode === null && c.kill("SIGKILL")));

function startWorker(env: Record<string, string>) {
  // `node --import tsx`, not the tsx binary: one process, so SIGKILL kills the worker itself.
  const child = spawn(process.execPath, ["--import", "tsx", "tests/integration/support/renewal-worker.ts"], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  const waitFor = (text: string, ms = 30_000) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`worker never printed ${text}; output: ${out}`)), ms);
      const check = () => (out.includes(text) ? (clearTimeout(timer), resolve()) : setTimeout(check, 50));
      check();
    });
  return { child, waitFor };
}

async function until<T>(probe: () => Promise<T | null | undefined | false>, ms = 40_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error("condition not reached in time");
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("durable renewals", () => {
  it("SUB-2: a worker killed after the charge and before recording it, then restarted, renews once and charges once", async () => {
    const start = new Date("2027-06-01T08:00:00Z");
    const user = await t.db.user.create({ data: { email: "crash@example.test", createdAt: start, updatedAt: start } });
    const admin = await t.db.user.create({
      data: { email: "ops@example.test", role: "admin", createdAt: start, updatedAt: start },
    });
    // Credits pay the first (discounted) order exactly; the renewal must then go to the card.
    await grantCredits(t.db, {
      adminId: admin.id,
      userId: user.id,
      currency: "USD",
      amountMinor: 1500n,
      reason: "test",
      requestId: "crash-grant",
      now: start,
    });
    await subscribe(
      { db: t.db, now: start, port: fakePayments().port },
      { userId: user.id, tier: "pro", cycle: "monthly", requestId: "crash-order" },
    );
    const sub = await t.db.subscription.findFirstOrThrow({ where: { userId: user.id } });
    expect(sub.periodEnd.toISOString()).toBe("2027-07-01T08:00:00.000Z");

    const charges = path.join(mkdtempSync(path.join(tmpdir(), "codeplan-crash-")), "charges.json");
    const env = { DATABASE_URL: t.url, NOW: "2027-07-01T08:00:05Z", CHARGES_FILE: charges };

    const first = startWorker({ ...env, HANG_AFTER_CHARGE: "1" });
    await first.waitFor("CHARGED");
    first.child.kill("SIGKILL");
    await new Promise((r) => first.child.once("exit", r));

    // Killed mid-renewal: the processor has the money, CodePlan has an open invoice and no period yet.
    const open = await t.db.invoice.findFirstOrThrow({ where: { subscriptionId: sub.id, kind: "renewal" } });
    expect(open.status).toBe("open");
    expect(open.cardMinor).toBe(3000n);
    expect((await t.db.subscription.findUniqueOrThrow({ where: { id: sub.id } })).periodIndex).toBe(1);

    startWorker({ ...env, HANG_AFTER_CHARGE: "0" });
    const renewed = await until(async () => {
      const s = await t.db.subscription.findUniqueOrThrow({ where: { id: sub.id } });
      return s.periodIndex === 2 ? s : null;
    });

    expect(renewed.periodEnd.toISOString()).toBe("2027-08-01T08:00:00.000Z");
    const recorded = JSON.parse(readFileSync(charges, "utf8"));
    expect(Object.keys(recorded)).toEqual([`renewal:${sub.id}:2027-07-01T08:00:00.000Z`]);
    const invoices = await t.db.invoice.findMany({ where: { subscriptionId: sub.id, kind: "renewal" } });
    expect(invoices.map((i) => i.status)).toEqual(["paid"]);
    const payments = await t.db.payment.findMany({ where: { invoiceId: open.id } });
    expect(payments.map((p) => [p.status, p.providerPaymentId])).toEqual([["succeeded", "pi_file_1"]]);
    const cardPostings = await t.db.ledgerTransaction.count({ where: { invoiceId: open.id, kind: "card_payment" } });
    expect(cardPostings).toBe(1);
  }, 90_000);
});
