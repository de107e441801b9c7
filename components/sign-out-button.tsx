"use client";

import { signOut } from "next-auth/react";
import { useTranslations } from "next-intl";

export function SignOutButton() {
  const t = useTranslations("nav");
  return (
    <button type="button" className="btn-secondary py-1" onClick={() => signOut({ callbackUrl: "/" })}>
      {t("signOut")}
    </button>
  );
}
