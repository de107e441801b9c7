import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { getCurrentUser } from "@/lib/auth/session";
import { SignUpForm } from "@/components/sign-up-form";

export async function generateMetadata() {
  return { title: (await getTranslations("nav"))("signUp") };
}

export default async function SignUpPage() {
  if (await getCurrentUser()) redirect("/dashboard");
  const t = await getTranslations("signUp");
  return (
    <div className="card mx-auto max-w-md">
      <h1 className="mb-6 text-2xl font-semibold">{t("title")}</h1>
      <SignUpForm />
    </div>
  );
}
