import { getFormatter, getTranslations } from "next-intl/server";
import type { CustomerView } from "@/lib/admin";
import { AdminSection } from "./admin-section";

/** The customer's API keys as their keys screen shows them: only the prefix is known. */
export async function CustomerKeys({ keys }: { keys: CustomerView["keys"] }) {
  const [t, all, format] = await Promise.all([
    getTranslations("adminConsole.customer"),
    getTranslations(),
    getFormatter(),
  ]);
  const when = (d: Date) => format.dateTime(d, { dateStyle: "medium", timeStyle: "short" });
  return (
    <AdminSection id="cust-keys" title={t("keysTitle")} scrolls>
      {keys.length === 0 ? (
        <p>{t("noKeys")}</p>
      ) : (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">{t("prefix")}</th>
              <th scope="col">{t("keyName")}</th>
              <th scope="col">{t("keyCreated")}</th>
              <th scope="col">{t("lastUsed")}</th>
              <th scope="col">{t("revoked")}</th>
            </tr>
          </thead>
          <tbody>
            {keys.map((k) => (
              <tr key={k.id} data-testid="customer-key">
                <td>
                  <code className="font-mono">{all("keys.prefixValue", { prefix: k.prefix })}</code>
                </td>
                <td className="break-words">{k.name}</td>
                <td className="whitespace-nowrap">{when(k.createdAt)}</td>
                <td className="whitespace-nowrap">{k.lastUsedAt ? when(k.lastUsedAt) : t("never")}</td>
                <td className="whitespace-nowrap">{k.revokedAt ? when(k.revokedAt) : t("notRevoked")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </AdminSection>
  );
}
