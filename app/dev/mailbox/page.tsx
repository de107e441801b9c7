import { notFound } from "next/navigation";
import { getFormatter, getTranslations } from "next-intl/server";
import { demoSurfaceOpen } from "@/lib/http/demo-surface";
import { listDevMail } from "@/lib/mail/send";

export async function generateMetadata() {
  return { title: (await getTranslations("mailbox"))("title") };
}

// Open without a session (a visitor signing in by e-mail link has none yet), but only in the demo and only on loopback (SEC-4).
export default async function MailboxPage() {
  if (!(await demoSurfaceOpen())) notFound();
  const [t, format, messages] = await Promise.all([getTranslations("mailbox"), getFormatter(), listDevMail()]);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">{t("title")}</h1>
      <p className="text-slate-700">{t("intro")}</p>
      {messages.length === 0 && <p>{t("empty")}</p>}
      <ul className="space-y-4">
        {messages.map((m) => (
          <li key={m.id.toString()} className="card" data-testid="mail">
            <dl className="mb-3 grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
              <dt className="font-medium text-slate-600">{t("to")}</dt>
              <dd className="break-all">{m.to}</dd>
              <dt className="font-medium text-slate-600">{t("subject")}</dt>
              <dd>{m.subject}</dd>
              <dt className="font-medium text-slate-600">{t("received")}</dt>
              <dd>{format.dateTime(m.createdAt, { dateStyle: "medium", timeStyle: "medium" })}</dd>
            </dl>
            {/* Plain text, with links made clickable; never the HTML body (no injection into this page). */}
            <pre className="whitespace-pre-wrap break-all text-sm">
              {m.text.split(/(https?:\/\/\S+)/).map((part, i) =>
                /^https?:\/\//.test(part) ? (
                  <a key={i} href={part} className="text-brand-700 underline">
                    {part}
                  </a>
                ) : (
                  part
                ),
              )}
            </pre>
          </li>
        ))}
      </ul>
    </div>
  );
}
