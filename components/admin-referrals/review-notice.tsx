import { getTranslations } from "next-intl/server";

/** The outcome of the decision just made, after the action returned to the queue. */
export async function ReviewNotice({ action, changed }: { action: "release" | "reject" | "ban"; changed: number }) {
  const t = await getTranslations("adminReferrals.done");
  return (
    <p role="status" className="rounded-lg bg-green-50 p-3 text-sm text-green-900">
      {t(action, { count: changed })}
    </p>
  );
}
