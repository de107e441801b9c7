import { testClock } from "../../lib/clock/clock";
import { createDb } from "../../lib/db/client";
import { policySettings } from "../../lib/policy/config";
import type { RecentCall } from "../../lib/policy/define";
import { keySharing } from "../../lib/policy/rules/key-sharing";
import { recordViolation } from "../../lib/policy/violations";
import { e2eDatabaseUrl } from "../support/clock";

const H = 3_600_000;

/**
 * What the policy sweep does when the sharing rule fires (lib/policy/evaluate.ts),
 * for one subscriber of the e2e app: the rule itself reads calls on their key
 * from one network more than allowed, and its evidence is recorded at the app's
 * (test) clock, which throttles the plan and tells the subscriber. The sweep
 * itself is not run: it would judge every other journey's calls too.
 */
export async function recordKeySharing(email: string, opts: { hoursAgo?: number } = {}) {
  const db = createDb(e2eDatabaseUrl());
  try {
    const settings = policySettings();
    const user = await db.user.findUniqueOrThrow({ where: { email } });
    const key = await db.apiKey.findFirst({
      where: { userId: user.id, revokedAt: null },
      orderBy: { createdAt: "desc" },
    });
    const now = new Date((await testClock(db).now()).getTime() - (opts.hoursAgo ?? 0) * H);
    const calls: RecentCall[] = Array.from({ length: settings.sharing.maxNetworksPerKey + 1 }, (_, i) => ({
      at: new Date(now.getTime() - (i + 1) * 30_000),
      keyId: key?.id ?? "00000000-0000-4000-8000-000000000000",
      client: "claude-cli",
      network: `203.0.${113 + i}.0/24`,
      agentShaped: true,
    }));
    const evidence = keySharing.evaluate(calls, {
      codingClients: settings.codingClients,
      notCoding: settings.notCoding,
      sharing: settings.sharing,
    });
    if (!evidence) throw new Error("the sharing rule did not fire");
    return {
      userId: user.id,
      outcome: await recordViolation(db, { userId: user.id, rule: keySharing.type, evidence, now }),
    };
  } finally {
    await db.$disconnect();
  }
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
