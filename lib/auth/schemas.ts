import { z } from "zod";
import { LOCALES } from "../i18n/config";

// Shared by the server and the browser forms, so it must stay free of server-only imports.
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;

// Messages are i18n keys under `errors.*`; the screen translates them.
export const emailSchema = z.string().trim().toLowerCase().max(254, "email_invalid").pipe(z.email("email_invalid"));

export const signUpSchema = z.object({
  email: emailSchema,
  name: z
    .string()
    .trim()
    .max(100, "name_too_long")
    .optional()
    .transform((v) => v || null),
  password: z.string().min(PASSWORD_MIN, "password_too_short").max(PASSWORD_MAX, "password_too_long"),
  locale: z.enum(LOCALES).default("en"),
});

export const signInSchema = z.object({
  email: emailSchema,
  password: z.string().min(1, "password_required").max(PASSWORD_MAX, "password_too_long"),
});

export type SignUpInput = z.input<typeof signUpSchema>;
