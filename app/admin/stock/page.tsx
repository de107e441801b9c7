import { getTranslations } from "next-intl/server";
import { StockTable } from "@/components/admin-console/stock-table";
import { catalogNow, stockStatusAt } from "@/lib/billing/face";
import { appClock } from "@/lib/clock";
import { requireAdmin } from "@/lib/auth/session";

export async function generateMetadata() {
  return { title: (await getTranslations("adminConsole.stock"))("title") };
}

/** SUB-8: today's stock per tier and when the next day's is released, read as the pricing page reads it. */
export default async function AdminStockPage() {
  // SEC-1: the page checks for itself; the layout does not run again on a client-side navigation.
  await requireAdmin();
  const [t, now, catalog] = await Promise.all([getTranslations("adminConsole.stock"), appClock().now(), catalogNow()]);
  const stock = await stockStatusAt(now, catalog.stock);
  return (
    <div className="space-y-6">
      <div className="space-y-2">
        <h1 className="text-2xl font-semibold">{t("title")}</h1>
        <p className="text-slate-700">{t("intro")}</p>
      </div>
      <StockTable stock={stock} stockZone={catalog.stock.timeZone} />
    </div>
  );
}
