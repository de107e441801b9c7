import type { Tx } from "../../db";
import { referralRules } from "../config";
import type { FraudFacts, FraudStage } from "./define";
import { loadFraudFacts } from "./facts";
import { FRAUD_RULES } from "./rules";

/** The rules of a stage that fire on these facts, with their evidence (pure). */
export function firedRules(facts: FraudFacts, stage: FraudStage, config = referralRules().fraud) {
  return FRAUD_RULES.filter((r) => r.stages.includes(stage))
    .map((r) => ({ rule: r.type, evidence: r.evaluate(facts, config) }))
    .filter((f): f is { rule: string; evidence: Record<string, unknown> } => f.evidence !== null);
}

/**
 * Runs a stage's rules on an invitation and raises a flag for each that
 * fires (once per rule: a flag an admin already released stays released).
 * Returns whether the invitation has an open flag, which holds its reward.
 */
export async function screenReferral(
  tx: Tx,
  referralId: string,
  stage: FraudStage,
  now: Date,
): Promise<{ held: boolean; raised: string[] }> {
  const facts = await loadFraudFacts(tx, referralId, referralRules().fraud, now);
  const fired = firedRules(facts, stage);
  const raised =
    fired.length === 0
      ? []
      : await tx.referralFlag.createManyAndReturn({
          data: fired.map((f) => ({
            referralId,
            rule: f.rule,
            stage,
            evidence: f.evidence as object,
            state: "open" as const,
            createdAt: now,
          })),
          skipDuplicates: true,
          select: { rule: true },
        });
  const open = await tx.referralFlag.count({ where: { referralId, state: "open" } });
  return { held: open > 0, raised: raised.map((r) => r.rule) };
}
