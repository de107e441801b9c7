"use client";

import Link from "next/link";
import { useLocale, useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { PASSWORD_MIN, signUpSchema } from "@/lib/auth/schemas";
import { fieldErrorsOf, type ActionResult } from "@/lib/http/action-result";
import { useErrorText } from "./form-error";
import { deviceFingerprint } from "./device-fingerprint";
import { TextField } from "./text-field";

/** `signUpAction` is the page's server action (components never import from app/). */
export function SignUpForm({ signUpAction }: { signUpAction: (input: unknown) => Promise<ActionResult> }) {
  const t = useTranslations("signUp");
  const errorText = useErrorText();
  const locale = useLocale();
  const router = useRouter();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [pending, setPending] = useState(false);
  const [params, setParams] = useState<Record<string, string>>({});

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const values = {
      name: String(form.get("name") ?? ""),
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      locale,
    };
    // The same schema runs here for instant feedback and again on the server.
    const local = signUpSchema.safeParse(values);
    if (!local.success) return setErrors(fieldErrorsOf(local.error));
    setPending(true);
    setErrors({});
    const result = await signUpAction({ ...values, device: await deviceFingerprint() });
    if (!result.ok) {
      setPending(false);
      setParams(result.params ?? {});
      return setErrors(result.fieldErrors ?? { _: result.error });
    }
    // The account is made when the link in the e-mail is followed (SEC-2: the answer never says whether one existed).
    router.push("/sign-in/check-email");
  }

  const msg = (field: string) => errorText(errors[field], { min: PASSWORD_MIN, ...params });
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      {errors._ && (
        <p role="alert" className="rounded-lg bg-red-50 p-3 text-sm text-red-800">
          {msg("_")}
        </p>
      )}
      <TextField id="name" name="name" label={t("name")} autoComplete="name" error={msg("name")} />
      <TextField
        id="email"
        name="email"
        type="email"
        label={t("email")}
        autoComplete="email"
        required
        error={msg("email")}
      />
      <TextField
        id="password"
        name="password"
        type="password"
        label={t("password")}
        autoComplete="new-password"
        required
        help={t("passwordHelp", { min: PASSWORD_MIN })}
        error={msg("password")}
      />
      <button type="submit" className="btn-primary w-full" disabled={pending}>
        {pending ? t("submitting") : t("submit")}
      </button>
      <p className="text-center text-sm text-slate-600">
        {t("haveAccount")}{" "}
        <Link href="/sign-in" className="font-medium text-brand-700 underline">
          {t("signInLink")}
        </Link>
      </p>
    </form>
  );
}
