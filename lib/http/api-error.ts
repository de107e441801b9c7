import { NextResponse } from "next/server";
import { z } from "zod";
import { isDatabaseUnavailable, RETRY_AFTER_SECONDS } from "../db/unavailable";
import { DomainError } from "../errors/domain-error";

// Routes and tests import the error model from here, as they did before it had its own module.
export { DomainError };

/** The one error shape of CodePlan's own API: `{ error: { code, message } }`. */
export function apiError(status: number, code: string, message: string) {
  return NextResponse.json({ error: { code, message } }, { status });
}

/**
 * Maps anything thrown in a route handler to a JSON answer. Validation → 422,
 * DomainError → its status; anything else → 500 with a generic message, the
 * detail only in the server log (never a stack trace to the caller).
 */
export function toApiError(e: unknown) {
  if (e instanceof z.ZodError) {
    const first = e.issues[0];
    return apiError(422, "invalid_input", `${first.path.join(".") || "body"}: ${first.message}`);
  }
  if (e instanceof DomainError) return apiError(e.status, e.code, e.message);
  if (isDatabaseUnavailable(e)) {
    // REL-3: not a fault of the request: the caller should try again in a moment.
    const answer = apiError(
      503,
      "database_unavailable",
      "The database is unavailable for a moment. Nothing was changed; please try again shortly.",
    );
    answer.headers.set("retry-after", String(RETRY_AFTER_SECONDS));
    return answer;
  }
  console.error("unhandled API error", e);
  return apiError(500, "internal_error", "Something went wrong on our side. Please try again.");
}

type Handler<C> = (req: Request, ctx: C) => Promise<Response>;

export function withApiErrors<C>(handler: Handler<C>): Handler<C> {
  return async (req, ctx) => {
    try {
      return await handler(req, ctx);
    } catch (e) {
      return toApiError(e);
    }
  };
}
