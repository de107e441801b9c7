import { newId } from "./new-id";
import type { State } from "./state";
import { API_VERSION, type StripeEvent } from "./stripe-objects";

export type EventOrigin = { id: string | null; idempotency_key: string | null };

/**
 * Appends an event whose `data.object` is a deep copy of `object`: later
 * changes to the object must not rewrite what the event said at the time.
 */
export function recordEvent(
  state: State,
  input: { type: string; object: unknown; request: EventOrigin; created: number; pendingWebhooks: number },
): StripeEvent {
  const event: StripeEvent = {
    id: newId("evt"),
    object: "event",
    api_version: API_VERSION,
    created: input.created,
    data: { object: structuredClone(input.object) },
    livemode: false,
    pending_webhooks: input.pendingWebhooks,
    request: input.request,
    type: input.type,
  };
  state.events.push(event);
  return event;
}
