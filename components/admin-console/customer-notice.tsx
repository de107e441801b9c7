import { getTranslations } from "next-intl/server";
import { Notice } from "@/components/billing/notice";

/** The outcome of an action on the customer page: the console's own (a removal) or the billing notices (grant, refund). */
export async function CustomerNotice({ notice }: { notice?: string }) {
  const t = await getTranslations("adminConsole.notices");
  if (notice === "credits_removed")
    return (
      <p role="status" className="rounded-lg bg-green-50 p-3 text-sm text-green-900">
        {t("credits_removed")}
      </p>
    );
  return <Notice notice={notice} />;
}
