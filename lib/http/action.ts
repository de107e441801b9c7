import type { z } from "zod";
import { adminForAction, requireUser } from "../auth/session";
import type { PublicUser } from "../auth/users";
import { DomainError } from "../errors/domain-error";
import { fieldErrorsOf, type ActionResult } from "./action-result";

/** A server action's "no": the shape every form reads (error and field errors are keys under `errors.*`). */
export type Refusal = Extract<ActionResult, { ok: false }>;

/**
 * Who may call: a signed-in user (requireUser: the sign-in page otherwise), an
 * admin (errors.forbidden otherwise, before anything is read), or anyone
 * (sign-up, the language switcher), checked against the database (SEC-1).
 */
type Caller = "user" | "admin" | "anyone";

/** The arguments React gives a form action: the previous state and the form. */
export type FormArgs = [prev: unknown, form: FormData];

export type ActionContext<A extends unknown[], C extends Caller> = {
  user: C extends "anyone" ? null : PublicUser;
  /** The call's own arguments, for what the schema does not carry (where to go back to, say). */
  args: A;
};

/** What `read` answers for a call that is not a form: a hand-made call can pass anything. */
export const NOT_A_FORM = Symbol("not a form");

/** Reads the fields of the call's form; a call without a FormData is bad input, not a 500. */
export const fromForm =
  (pick: (form: FormData) => unknown = (form) => Object.fromEntries(form.entries())) =>
  (_prev: unknown, form: FormData): unknown =>
    form instanceof FormData ? pick(form) : NOT_A_FORM;

export type ActionOptions<A extends unknown[], C extends Caller> = {
  caller?: C;
  /** The raw input the schema checks, from the call's arguments (default: the form's fields). */
  read?: (...args: A) => unknown;
  /** A check after the caller's and before the input's (the demo surface's loopback rule). */
  guard?: () => Promise<Refusal | null>;
  /** The answer to input the schema refuses (default: invalid_input with the field errors). */
  invalid?: (error: z.ZodError) => Refusal;
  /** How this screen shows a refusal (default: its key and params); null falls back to the default. */
  refused?: (error: DomainError) => Refusal | null | Promise<Refusal | null>;
};

/** A refusal as every action answered it: its message key, and the params only when it has them. */
export function refusalOf(e: DomainError): Refusal {
  return e.params ? { ok: false, error: e.key, params: { ...e.params } } : { ok: false, error: e.key };
}

const invalidInput = (error: z.ZodError): Refusal => ({
  ok: false,
  error: "invalid_input",
  fieldErrors: fieldErrorsOf(error),
});

/** For schemas whose refusal is the bare invalid_input, without field errors. */
export const plainInvalid = (): Refusal => ({ ok: false, error: "invalid_input" });

/**
 * Every server action (saas-starter's validatedAction, with the session and
 * the error model folded in): checks the caller against the database, reads
 * and parses the input with the schema (bounded there: every string has its
 * max), runs the handler, and answers a DomainError with its key and params.
 * Anything else is rethrown: a bug or an outage goes to the error page, and
 * redirect()/notFound() (thrown by Next) pass through untouched.
 */
export function action<S extends z.ZodType, R, A extends unknown[] = FormArgs, C extends Caller = "user">(
  schema: S,
  handler: (input: z.output<S>, ctx: ActionContext<A, C>) => Promise<R>,
  options: ActionOptions<A, C> = {},
): (...args: A) => Promise<R | Refusal> {
  const read = options.read ?? (fromForm() as unknown as (...args: A) => unknown);
  return async (...args: A) => {
    const who = await callerOf(options.caller ?? "user");
    if (who !== null && "ok" in who) return who;
    if (options.guard) {
      const stop = await options.guard();
      if (stop) return stop;
    }
    const raw = read(...args);
    if (raw === NOT_A_FORM) return plainInvalid();
    const parsed = schema.safeParse(raw);
    if (!parsed.success) return (options.invalid ?? invalidInput)(parsed.error);
    try {
      return await handler(parsed.data, { user: who, args } as ActionContext<A, C>);
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      return (await options.refused?.(e)) ?? refusalOf(e);
    }
  };
}

async function callerOf(caller: Caller): Promise<PublicUser | Refusal | null> {
  if (caller === "anyone") return null;
  if (caller === "user") return requireUser();
  const gate = await adminForAction();
  return gate.ok ? gate.admin : gate;
}
