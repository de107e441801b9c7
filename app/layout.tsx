import type { Metadata, Viewport } from "next";
import { NextIntlClientProvider } from "next-intl";
import { getLocale, getTranslations } from "next-intl/server";
import { getCurrentUser } from "@/lib/auth/session";
import { env } from "@/lib/config/env";
import { SiteHeader } from "@/components/site-header";
import { TimeZoneCookie } from "@/components/time-zone-cookie";
import { setLocale, setTimeZone } from "./actions/preferences";
import "./globals.css";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("common");
  // The icon and the social image are static files in public/; a social image needs an absolute URL.
  return {
    title: { default: t("appName"), template: `%s · ${t("appName")}` },
    description: t("tagline"),
    metadataBase: new URL(env().NEXTAUTH_URL ?? `http://localhost:${env().PORT}`),
    icons: { icon: { url: "/icon.svg", type: "image/svg+xml" } },
    openGraph: {
      siteName: t("appName"),
      title: t("appName"),
      description: t("tagline"),
      images: [{ url: "/og.png", width: 1200, height: 630 }],
    },
  };
}

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const locale = await getLocale();
  const user = await getCurrentUser();
  const t = await getTranslations("nav");
  return (
    <html lang={locale}>
      <body className="min-h-screen">
        <NextIntlClientProvider>
          <a
            href="#main"
            className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:bg-white focus:p-2"
          >
            {t("skipToContent")}
          </a>
          <TimeZoneCookie setTimeZone={setTimeZone} />
          <SiteHeader user={user} setLocale={setLocale} />
          <main id="main" className="mx-auto max-w-5xl px-4 py-8">
            {children}
          </main>
        </NextIntlClientProvider>
      </body>
    </html>
  );
}
