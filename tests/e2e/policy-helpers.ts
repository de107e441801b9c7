import { testClock } from "../../lib/clock/clock";
import { createDb } from "../../lib/db/client";
import { policySettings } from "../../lib/policy/config";
import type { PolicyConfig, PolicyRule, RecentCall } from "../../lib/policy/define";
import { keySharing } from "../../lib/policy/rules/key-sharing";
import { recordViolation } from "../../lib/policy/violations";
import { e2eDatabaseUrl } from "../support/clock";

const H = 3_600_000;

/** The calls one rule judges, built from the subscriber's keys (newest first) and the moment of the sweep. */
type CallsOf = (keyIds: string[], now: Date, sharing: PolicyConfig["sharing"]) => RecentCall[];

/**
 * What the policy sweep does when a rule fires (lib/policy/evaluate.ts), for
 * one subscriber of the e2e app: the rule itself reads the calls it is given,
 * and its evidence is recorded at the app's (test) clock, which throttles the
 * plan and tells the subscriber. The sweep itself is not run: it would judge
 * every other journey's calls too.
 */
export async function recordRule(email: string, rule: PolicyRule, callsOf: CallsOf, opts: { hoursAgo?: number } = {}) {
  const db = createDb(e2eDatabaseUrl());
  try {
    const settings = policySettings();
    const user = await db.user.findUniqueOrThrow({ where: { email } });
    const keys = await db.apiKey.findMany({
      where: { userId: user.id, revokedAt: null },
      orderBy: { createdAt: "desc" },
    });
    const keyIds = keys.length ? keys.map((k) => k.id) : ["00000000-0000-4000-8000-000000000000"];
    const now = new Date((await testClock(db).now()).getTime() - (opts.hoursAgo ?? 0) * H);
    const evidence = rule.evaluate(callsOf(keyIds, now, settings.sharing), {
      codingClients: settings.codingClients,
      notCoding: settings.notCoding,
      sharing: settings.sharing,
    });
    if (!evidence) throw new Error(`the ${rule.type} rule did not fire`);
    return {
      userId: user.id,
      outcome: await recordViolation(db, { userId: user.id, rule: rule.type, evidence, now }),
    };
  } finally {
    await db.$disconnect();
  }
}

/** The sharing rule (POLICY-3): the newest key called from one network more than allowed. */
export function recordKeySharing(email: string, opts: { hoursAgo?: number } = {}) {
  return recordRule(
    email,
    keySharing,
    ([keyId], now, sharing) =>
      Array.from({ length: sharing.maxNetworksPerKey + 1 }, (_, i) => ({
        at: new Date(now.getTime() - (i + 1) * 30_000),
        keyId,
        client: "claude-cli",
        network: `203.0.${113 + i}.0/24`,
        agentShaped: true,
      })),
    opts,
  );
}

/** Enough violations, a quiet period apart, to ban the account (POLICY-2's "third violation bans"). */
export async function banForViolations(email: string) {
  const { banAfter, throttle } = policySettings();
  let last = { userId: "", outcome: "" };
  for (let i = banAfter - 1; i >= 0; i--)
    last = await recordKeySharing(email, { hoursAgo: i * (throttle.quietHours + 1) });
  if (last.outcome !== "banned") throw new Error(`expected a ban, got ${last.outcome}`);
  return last.userId;
}

/** Makes an account an admin (its next sign-in carries the role). */
export async function promoteToAdmin(email: string) {
  const db = createDb(e2eDatabaseUrl());
  try {
    await db.user.update({ where: { email }, data: { role: "admin" } });
  } finally {
    await db.$disconnect();
  }
}
