"use client";

import Link from "next/link";
import { signIn } from "next-auth/react";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useErrorText } from "./form-error";
import { TextField } from "./text-field";
import { deviceFingerprint } from "./device-fingerprint";

export function SignInForm({ initialError, callbackUrl }: { initialError?: string; callbackUrl: string }) {
  const t = useTranslations("signIn");
  const errorText = useErrorText();
  const router = useRouter();
  const [error, setError] = useState(initialError);
  const [pending, setPending] = useState(false);

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setPending(true);
    setError(undefined);
    const res = await signIn("credentials", {
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      device: await deviceFingerprint(),
      redirect: false,
    });
    setPending(false);
    if (!res || res.error) {
      setError(res?.error === "CredentialsSignin" ? "invalid_credentials" : (res?.error ?? "unexpected"));
      return;
    }
    router.push(callbackUrl);
    router.refresh();
  }

  const message = errorText(error);
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4" aria-describedby={message ? "sign-in-error" : undefined}>
      {message && (
        <p id="sign-in-error" role="alert" className="rounded-lg bg-red-50 p-3 text-sm text-red-800">
          {message}
        </p>
      )}
      <TextField id="email" name="email" type="email" label={t("email")} autoComplete="email" required />
      <TextField
        id="password"
        name="password"
        type="password"
        label={t("password")}
        autoComplete="current-password"
        required
      />
      <button type="submit" className="btn-primary w-full" disabled={pending}>
        {pending ? t("submitting") : t("submit")}
      </button>
      <p className="text-center text-sm text-slate-600">
        {t("noAccount")}{" "}
        <Link href="/sign-up" className="font-medium text-brand-700 underline">
          {t("signUpLink")}
        </Link>
      </p>
    </form>
  );
}

export function MagicLinkForm({ callbackUrl }: { callbackUrl: string }) {
  const t = useTranslations("signIn");
  const errorText = useErrorText();
  const router = useRouter();
  const [error, setError] = useState<string>();
  const [pending, setPending] = useState(false);

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const email = String(new FormData(e.currentTarget).get("email") ?? "").trim();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) return setError("email_invalid");
    setPending(true);
    setError(undefined);
    const res = await signIn("email", { email, callbackUrl, redirect: false });
    setPending(false);
    if (!res || res.error) return setError(res?.error ?? "EmailSignin");
    router.push("/sign-in/check-email");
  }

  const message = errorText(error);
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-3">
      <h2 className="text-base font-semibold">{t("magicTitle")}</h2>
      <p className="text-sm text-slate-600">{t("magicHelp")}</p>
      <TextField id="magic-email" name="email" type="email" label={t("email")} autoComplete="email" error={message} />
      <button type="submit" className="btn-secondary w-full" disabled={pending}>
        {pending ? t("magicSending") : t("magicSubmit")}
      </button>
    </form>
  );
}
