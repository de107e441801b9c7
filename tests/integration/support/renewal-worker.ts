/**
 * A renewal worker process for the crash test: the real queue and job code
 * (lib/jobs), with a test double of the payment port that keeps its charges in
 * a file, as a real processor keeps them on its side, idempotent by key.
 * With HANG_AFTER_CHARGE=1 it stops dead right after the processor took the
 * money and before CodePlan recorded it: the worst moment to be killed.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createDb } from "../../../lib/db/client";
import { openQueue } from "../../../lib/jobs/queue";
import { sweepDueRenewals, workRenewals } from "../../../lib/jobs/renewals";
import type { ChargeRequest, ChargeResult, PaymentPort } from "../../../lib/payments";
import { noProcessor } from "../../../lib/payments/no-processor";

const { DATABASE_URL, NOW, CHARGES_FILE, HANG_AFTER_CHARGE } = process.env as Record<string, string>;

function charge(req: ChargeRequest): Promise<ChargeResult> {
  const charges: Record<string, { id: string; amountMinor: string }> = existsSync(CHARGES_FILE)
    ? JSON.parse(readFileSync(CHARGES_FILE, "utf8"))
    : {};
  const seen = charges[req.idempotencyKey];
  if (seen) return Promise.resolve({ status: "succeeded", providerPaymentId: seen.id });
  const id = `pi_file_${Object.keys(charges).length + 1}`;
  charges[req.idempotencyKey] = { id, amountMinor: String(req.amountMinor) };
  writeFileSync(CHARGES_FILE, JSON.stringify(charges));
  if (HANG_AFTER_CHARGE === "1") {
    console.log("CHARGED");
    return new Promise(() => {});
  }
  return Promise.resolve({ status: "succeeded", providerPaymentId: id });
}

const port: PaymentPort = {
  ...noProcessor,
  name: "file",
  canCharge: async () => true,
  chargeOffSession: charge,
  startOnSession: charge,
};

const database = createDb(DATABASE_URL);
const deps = async () => ({ db: database, now: new Date(NOW), port });
const boss = await openQueue({ databaseUrl: DATABASE_URL, timeoutSeconds: 2, onError: () => {} });
await workRenewals(boss, deps, (line) => console.log(line));
await sweepDueRenewals(boss, deps);
console.log("READY");
