/** The body of Stripe's `{ error: … }` responses. */
export type StripeErrorBody = {
  type: "invalid_request_error" | "card_error" | "idempotency_error" | "api_error";
  code?: string;
  decline_code?: string;
  message: string;
  param?: string;
  doc_url?: string;
  payment_intent?: unknown;
  setup_intent?: unknown;
  payment_method?: unknown;
};

/**
 * A request the API refuses before changing anything. Thrown, not returned,
 * so handlers validate first and mutate after; like Stripe, these answers are
 * not saved under the Idempotency-Key (the request never started executing).
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: StripeErrorBody,
  ) {
    super(body.message);
  }
}

export function invalidRequest(message: string, extra: Omit<StripeErrorBody, "type" | "message"> = {}): ApiError {
  return new ApiError(400, { type: "invalid_request_error", message, ...extra });
}

export function invalidParam(param: string, message: string, code?: string): ApiError {
  return invalidRequest(message, { param, ...(code ? { code } : {}) });
}

export function missingParam(param: string): ApiError {
  return invalidParam(param, `Missing required param: ${param}.`, "parameter_missing");
}

/** 404 for an unknown id; `param` names the field that carried it (Stripe uses "id" for path ids). */
export function noSuch(kind: string, id: string, param = "id"): ApiError {
  return new ApiError(404, {
    type: "invalid_request_error",
    code: "resource_missing",
    message: `No such ${kind}: '${id}'`,
    param,
  });
}
