import { getTranslations } from "next-intl/server";

/** The outcome of the decision just made, after the action came back to the page. */
export async function DoneNotice({ done }: { done: "upheld" | "reversed" | "unbanned" }) {
  const t = await getTranslations("adminPolicy.done");
  return (
    <p role="status" className="rounded-lg bg-green-50 p-3 text-sm text-green-900">
      {t(done)}
    </p>
  );
}
