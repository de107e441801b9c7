import { getTranslations } from "next-intl/server";
import type { QueueViolation } from "@/lib/policy";
import { isThrottled } from "@/lib/policy/throttle";
import { CustomerCard } from "./customer-card";
import type { Filter, PolicyAction } from "./queue-fields";

type Props = {
  violations: QueueViolation[];
  deciders: Record<string, string>;
  keyNames: Record<string, string>;
  now: Date;
  filter: Filter;
  limited: number | null;
  decideAction: PolicyAction;
  liftBanAction: PolicyAction;
};

/** Violations grouped by customer (a ban, a throttle and their history are the customer's), in the queue's order. */
function byCustomer(violations: QueueViolation[]) {
  const groups = new Map<string, QueueViolation[]>();
  for (const v of violations) groups.set(v.userId, [...(groups.get(v.userId) ?? []), v]);
  return [...groups.values()];
}

export async function ViolationQueue({
  violations,
  deciders,
  keyNames,
  now,
  filter,
  limited,
  decideAction,
  liftBanAction,
}: Props) {
  const t = await getTranslations("adminPolicy");
  const groups = byCustomer(violations);
  if (groups.length === 0) return <p className="card">{t("empty")}</p>;
  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-700">
        {t("shown", { count: groups.length })}
        {limited && <> · {t("limited", { limit: limited })}</>}
      </p>
      <ul className="space-y-4" aria-label={t("title")}>
        {groups.map((g) => {
          const plan = g[0].user.subscriptions[0];
          return (
            <li key={g[0].userId}>
              <CustomerCard
                violations={g}
                deciders={deciders}
                keyNames={keyNames}
                throttledUntil={plan && isThrottled(plan, now) ? plan.throttledUntil : null}
                filter={filter}
                decideAction={decideAction}
                liftBanAction={liftBanAction}
              />
            </li>
          );
        })}
      </ul>
    </div>
  );
}
