import type { Db } from "../db";
import { policySettings, type PolicySettings } from "./config";
import type { PolicyConfig, RecentCall } from "./define";
import { POLICY_RULES } from "./rules";
import { recordViolation } from "./violations";

/** Subscriptions that called this recently are judged again on each sweep. */
const ACTIVE_MS = 10 * 60_000;

/** The rules' view of the thresholds. */
function ruleConfig(s: PolicySettings): PolicyConfig {
  return { codingClients: s.codingClients, notCoding: s.notCoding, sharing: s.sharing };
}

/**
 * The sweep's policy pass (POLICY-1, POLICY-3): the calls of the last
 * `lookbackMinutes` that carry caller signals, of every subscription that
 * called in the last few minutes (one that has gone quiet was judged while it
 * called), go through every rule; each rule that fires is recorded
 * (recordViolation decides whether it is a new violation, a longer throttle,
 * or a ban). One read for all subscribers.
 */
export async function evaluatePolicy(database: Db, now: Date, settings: PolicySettings = policySettings()) {
  const since = new Date(now.getTime() - settings.lookbackMinutes * 60_000);
  const rows = await database.$queryRaw<
    {
      user_id: string;
      key_id: string;
      at: Date;
      client: string;
      network: string;
      agent_shaped: boolean;
      client_id: string | null;
      device: string | null;
    }[]
  >`
    SELECT s."user_id"::text, r."key_id"::text, r."at", r."client", COALESCE(r."network", 'unknown') AS "network", COALESCE(r."agent_shaped", true) AS "agent_shaped",
      r."client_id", r."device"
    FROM "usage_reports" r JOIN "subscriptions" s ON s."id" = r."subscription_id"
    WHERE r."at" > ${since} AND r."at" <= ${now} AND r."client" IS NOT NULL
      AND r."subscription_id" IN (SELECT DISTINCT "subscription_id" FROM "usage_reports" WHERE "at" > ${new Date(now.getTime() - ACTIVE_MS)} AND "at" <= ${now})`;
  const byUser = new Map<string, RecentCall[]>();
  for (const r of rows) {
    const calls = byUser.get(r.user_id) ?? [];
    calls.push({
      at: r.at,
      keyId: r.key_id,
      client: r.client,
      network: r.network,
      agentShaped: r.agent_shaped,
      clientId: r.client_id,
      device: r.device,
    });
    byUser.set(r.user_id, calls);
  }
  const outcomes: Record<string, number> = {};
  const config = ruleConfig(settings);
  for (const [userId, calls] of byUser)
    for (const rule of POLICY_RULES) {
      const evidence = rule.evaluate(calls, config);
      if (!evidence) continue;
      const outcome = await recordViolation(database, { userId, rule: rule.type, evidence, now }, settings);
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      // One rule is enough to act on; the others would only repeat the same throttle.
      break;
    }
  return outcomes;
}
