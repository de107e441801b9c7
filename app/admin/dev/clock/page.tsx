import { notFound } from "next/navigation";
import { getFormatter, getTranslations } from "next-intl/server";
import { demoSurfaceOpen } from "@/lib/http/demo-surface";
import { movableClock } from "@/lib/clock";
import { ClockForm } from "@/components/clock-form";
import { advanceClockAction } from "./actions";
import { requireAdmin } from "@/lib/auth/session";

export async function generateMetadata() {
  return { title: (await getTranslations("clock"))("title") };
}

function splitDuration(ms: number) {
  const minutes = Math.floor(ms / 60_000);
  return { days: Math.floor(minutes / 1440), hours: Math.floor((minutes % 1440) / 60), minutes: minutes % 60 };
}

export default async function ClockPage() {
  // SEC-1: the page checks for itself; the layout does not run again on a client-side navigation.
  await requireAdmin();
  if (!(await demoSurfaceOpen())) notFound();
  const clock = movableClock();
  const [t, format, offset, now] = await Promise.all([
    getTranslations(),
    getFormatter(),
    clock.offsetMs(),
    clock.now(),
  ]);
  const d = splitDuration(offset);
  const parts = [
    d.days && t("duration.days", { count: d.days }),
    d.hours && t("duration.hours", { count: d.hours }),
    d.minutes && t("duration.minutes", { count: d.minutes }),
  ].filter(Boolean);
  const full = { dateStyle: "full", timeStyle: "long" } as const;
  return (
    <div className="mx-auto max-w-2xl space-y-6">
      <h1 className="text-2xl font-semibold">{t("clock.title")}</h1>
      <p className="text-slate-700">{t("clock.intro")}</p>
      <section className="card">
        <dl className="grid grid-cols-1 gap-y-2 sm:grid-cols-[max-content_1fr] sm:gap-x-6">
          <dt className="text-sm font-medium text-slate-600">{t("clock.now")}</dt>
          <dd data-testid="app-time">{format.dateTime(now, full)}</dd>
          <dt className="text-sm font-medium text-slate-600">{t("clock.realNow")}</dt>
          <dd>{format.dateTime(new Date(now.getTime() - offset), full)}</dd>
          <dt className="text-sm font-medium text-slate-600">{t("clock.offset")}</dt>
          <dd data-testid="clock-offset">{parts.length ? parts.join(" ") : t("duration.none")}</dd>
        </dl>
      </section>
      <ClockForm action={advanceClockAction} />
    </div>
  );
}
