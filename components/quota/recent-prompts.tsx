import { getFormatter, getTranslations } from "next-intl/server";
import type { PromptRow } from "@/lib/quota";

/**
 * QUOTA-1: the latest prompts with the model calls of each one's tool loop.
 * A coding agent answers one question in many calls; the quota counts the
 * question once, and this table shows both.
 */
export async function RecentPrompts({ rows }: { rows: PromptRow[] }) {
  const [t, format] = await Promise.all([getTranslations("usage"), getFormatter()]);
  if (rows.length === 0) return <p data-testid="no-prompts">{t("noPrompts")}</p>;
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm" data-testid="recent-prompts">
        <caption className="sr-only">{t("recentPromptsTitle")}</caption>
        <thead>
          <tr className="border-b border-slate-200 text-slate-600">
            <th scope="col" className="py-2 pr-3 font-medium">
              {t("promptStarted")}
            </th>
            <th scope="col" className="py-2 pr-3 font-medium">
              {t("promptModel")}
            </th>
            <th scope="col" className="py-2 pr-3 text-right font-medium">
              {t("promptCalls")}
            </th>
            <th scope="col" className="py-2 text-right font-medium">
              {t("promptTokens")}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.promptId} className="border-b border-slate-100">
              <td className="py-2 pr-3">{format.dateTime(r.startedAt, { dateStyle: "medium", timeStyle: "short" })}</td>
              <td className="py-2 pr-3 whitespace-nowrap">{r.model}</td>
              <td className="py-2 pr-3 text-right tabular-nums">{format.number(r.calls)}</td>
              <td className="py-2 text-right tabular-nums">{format.number(r.tokens)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
