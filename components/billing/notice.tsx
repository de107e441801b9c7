import { getTranslations } from "next-intl/server";

const KNOWN = new Set(["subscribed", "upgraded", "scheduled", "withdrawn", "canceled", "resumed", "topped_up", "granted"]);

/** The confirmation after an action redirected here (?notice=…); unknown values show nothing. */
export async function Notice({ notice }: { notice?: string }) {
  if (!notice || !KNOWN.has(notice)) return null;
  const t = await getTranslations("notices");
  return (
    <p role="status" className="rounded-lg bg-green-50 p-3 text-sm text-green-900">
      {t(notice)}
    </p>
  );
}
