import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { reviewsRequested } from "@/lib/policy/face";

/** The admin home's card for the violations queue: how many subscribers wait for a review, and the way in. */
export async function ViolationsHomeSummary() {
  const [t, count] = await Promise.all([getTranslations("adminPolicy"), reviewsRequested()]);
  return (
    <section className="card space-y-2" aria-labelledby="policy-review-title">
      <h2 id="policy-review-title" className="text-lg font-semibold">
        {t("title")}
      </h2>
      <p>
        {t("home.count", { count })} ·{" "}
        <Link className="text-brand-700 underline" href="/admin/violations">
          {t("home.openQueue")}
        </Link>
      </p>
    </section>
  );
}
