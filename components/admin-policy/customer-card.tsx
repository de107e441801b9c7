import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import type { QueueViolation } from "@/lib/policy";
import { LiftBanForm } from "./lift-ban-form";
import type { Filter, PolicyAction } from "./queue-fields";
import { ViolationItem } from "./violation-item";

type Props = {
  violations: QueueViolation[];
  deciders: Record<string, string>;
  keyNames: Record<string, string>;
  throttledUntil: Date | null;
  filter: Filter;
  decideAction: PolicyAction;
  liftBanAction: PolicyAction;
};

/**
 * One customer's violations in the queue, with where their account stands
 * (banned, throttled until when) and, when banned, the form to lift the ban.
 */
export async function CustomerCard({
  violations,
  deciders,
  keyNames,
  throttledUntil,
  filter,
  decideAction,
  liftBanAction,
}: Props) {
  const [t, statuses, format] = await Promise.all([
    getTranslations("adminPolicy"),
    getTranslations("statuses"),
    getFormatter(),
  ]);
  const user = violations[0].user;
  const banned = user.status === "banned";
  return (
    <article aria-labelledby={`customer-${user.id}`} className="card space-y-3">
      <div className="space-y-1">
        <h2 id={`customer-${user.id}`} className="text-lg font-semibold wrap-anywhere">
          <Link className="text-brand-700 underline" href={`/admin/customers/${user.id}`}>
            {user.email}
          </Link>
        </h2>
        <p className="text-sm text-slate-700">
          <span className={banned ? "font-semibold text-red-800" : undefined}>{statuses(user.status)}</span> ·{" "}
          {throttledUntil
            ? t("throttledUntil", {
                time: format.dateTime(throttledUntil, { dateStyle: "medium", timeStyle: "short" }),
              })
            : t("notThrottled")}
        </p>
      </div>
      <ul className="space-y-3">
        {violations.map((v) => (
          <li key={v.id}>
            <ViolationItem
              violation={v}
              deciders={deciders}
              keyNames={keyNames}
              filter={filter}
              decideAction={decideAction}
            />
          </li>
        ))}
      </ul>
      {banned && <LiftBanForm action={liftBanAction} userId={user.id} email={user.email} filter={filter} />}
    </article>
  );
}
