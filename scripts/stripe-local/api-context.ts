import type { FormObject } from "./form-body";
import type { State } from "./state";

/** What a handler needs: the state to read and change, the clock, and a way to record events. */
export type ApiContext = {
  state: State;
  /** Unix seconds, as Stripe's `created` fields. */
  now: () => number;
  /** Base URL the browser uses to reach this server (for 3-D Secure pages). */
  publicUrl: string;
  /** Records an event with a snapshot of `object` as it is now, and queues its webhook. */
  emit: (type: string, object: unknown) => void;
};

/** A handler's answer. Returned (not thrown) answers are saved under the request's Idempotency-Key. */
export type Reply = { status: number; body: unknown };

export type Handler = (ctx: ApiContext, params: FormObject, pathParams: Record<string, string>) => Reply;

export type Route = { method: "GET" | "POST" | "DELETE"; pattern: string; handler: Handler };

export function ok(body: unknown): Reply {
  return { status: 200, body };
}
