import { getFormatter, getTranslations } from "next-intl/server";
import type { CustomerView } from "@/lib/admin";
import { AdminSection, Facts } from "./admin-section";

const LANGUAGES: Record<string, string> = { en: "English", "zh-CN": "简体中文" };

export async function CustomerProfile({ user }: { user: CustomerView["user"] }) {
  const [t, all, format] = await Promise.all([
    getTranslations("adminConsole.customer"),
    getTranslations(),
    getFormatter(),
  ]);
  return (
    <AdminSection id="cust-profile" title={t("profileTitle")}>
      <Facts
        items={[
          [t("email"), user.email, "profile-email"],
          [t("name"), user.name ?? t("noName")],
          [t("region"), all(`regions.${user.region}`)],
          [t("role"), all(`roles.${user.role}`)],
          [t("status"), all(`statuses.${user.status}`), "profile-status"],
          [t("locale"), LANGUAGES[user.locale] ?? user.locale],
          [t("created"), format.dateTime(user.createdAt, { dateStyle: "medium", timeStyle: "short" })],
          [
            t("id"),
            <code key="id" className="font-mono text-xs">
              {user.id}
            </code>,
          ],
        ]}
      />
    </AdminSection>
  );
}
