import type { Db, Prisma } from "../db";
import { POLICY_RULES } from "./rules";
import { isThrottled } from "./throttle";

export const VIOLATION_STATES = ["open", "review_requested", "upheld", "reversed"] as const;
export type ViolationState = (typeof VIOLATION_STATES)[number];
/** The queue's default view: everything still waiting for an admin. */
export const UNDECIDED = ["open", "review_requested"] as const satisfies readonly ViolationState[];
export const POLICY_RULE_TYPES: string[] = POLICY_RULES.map((r) => r.type);

/** The names of the keys that evidence points at (the per-key sharing rules name a key id, subscription_sharing several), by id. */
async function keyNamesOf(database: Db, violations: { evidence: unknown }[]): Promise<Record<string, string>> {
  const ids = [
    ...new Set(
      violations.flatMap((v) => {
        const e = v.evidence as { keyId?: unknown; keyIds?: unknown } | null;
        const named = [e?.keyId, ...(Array.isArray(e?.keyIds) ? e.keyIds.slice(0, 20) : [])];
        // Evidence is stored JSON: only a well-formed id is looked up.
        return named.filter((keyId): keyId is string => typeof keyId === "string" && /^[0-9a-f-]{36}$/i.test(keyId));
      }),
    ),
  ];
  if (ids.length === 0) return {};
  const keys = await database.apiKey.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } });
  return Object.fromEntries(keys.map((k) => [k.id, k.name]));
}

/**
 * POLICY-2, the subscriber's view: their violations newest first, whether
 * their plan is throttled at `now` (and until when), and whether the account
 * is banned. The deciding admin is left out: the subscriber sees the
 * decision and its reason, not who made it.
 */
export async function violationsOf(database: Db, userId: string, now: Date) {
  const [user, sub, violations] = await Promise.all([
    database.user.findUnique({ where: { id: userId }, select: { status: true } }),
    database.subscription.findFirst({
      where: { userId, status: { not: "expired" } },
      select: { throttledUntil: true },
    }),
    database.policyViolation.findMany({
      where: { userId },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      select: {
        id: true,
        rule: true,
        evidence: true,
        state: true,
        reviewNote: true,
        reviewAskedAt: true,
        decidedAt: true,
        decisionReason: true,
        createdAt: true,
      },
    }),
  ]);
  return {
    violations,
    throttledUntil: sub && isThrottled(sub, now) ? sub.throttledUntil : null,
    banned: user?.status === "banned",
    keyNames: await keyNamesOf(database, violations),
  };
}

export type SubscriberViolations = Awaited<ReturnType<typeof violationsOf>>;

export type QueueFilter = {
  state?: ViolationState | "undecided" | "all";
  rule?: string;
  userId?: string;
  take?: number;
};

/**
 * The admins' queue: violations with their customer (e-mail, status, throttle)
 * and who decided them. Undecided ones by default, and among those the ones
 * whose subscriber asked for a review first (they wait on us), then newest first.
 */
export async function violationQueue(database: Db, filter: QueueFilter) {
  const state = filter.state ?? "undecided";
  const states: ViolationState[] =
    state === "all" ? [...VIOLATION_STATES] : state === "undecided" ? [...UNDECIDED] : [state];
  const where: Prisma.PolicyViolationWhereInput = {
    state: { in: states },
    ...(filter.rule && POLICY_RULE_TYPES.includes(filter.rule) && { rule: filter.rule }),
    ...(filter.userId && { userId: filter.userId }),
  };
  const askedFirst = state === "undecided";
  const violations = await database.policyViolation.findMany({
    where,
    // Among undecided rows only review_requested ones have a reviewAskedAt, so "nulls last" puts the asks first.
    orderBy: [
      ...(askedFirst ? [{ reviewAskedAt: { sort: "desc", nulls: "last" } } as const] : []),
      { createdAt: "desc" },
      { id: "desc" },
    ],
    take: filter.take ?? 100,
    include: {
      user: {
        select: {
          id: true,
          email: true,
          status: true,
          subscriptions: { where: { status: { not: "expired" } }, select: { throttledUntil: true }, take: 1 },
        },
      },
    },
  });
  const deciderIds = [...new Set(violations.flatMap((v) => (v.decidedBy ? [v.decidedBy] : [])))];
  const [deciders, keyNames] = await Promise.all([
    deciderIds.length === 0
      ? []
      : database.user.findMany({ where: { id: { in: deciderIds } }, select: { id: true, email: true } }),
    keyNamesOf(database, violations),
  ]);
  return {
    violations,
    deciders: Object.fromEntries(deciders.map((d) => [d.id, d.email])) as Record<string, string>,
    keyNames,
  };
}

export type QueueViolation = Awaited<ReturnType<typeof violationQueue>>["violations"][number];

/** How many subscribers wait on an admin's answer to their review request (the admin home's count). */
export function reviewRequestedCount(database: Db) {
  return database.policyViolation.count({ where: { state: "review_requested" } });
}
