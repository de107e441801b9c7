import type { ApiContext } from "./api-context";
import type { EventOrigin } from "./event-log";
import type { State } from "./state";
import type { WebhookDeliverer } from "./webhook-deliverer";

/** What the HTTP front ends (API, 3-D Secure pages, test controls) share. */
export type ServerDeps = {
  state: State;
  /** Writes the state to the data file (atomically). */
  persist: () => void;
  deliverer: WebhookDeliverer;
  /** A handler context whose events name `origin` as the request that caused them. */
  context: (origin: EventOrigin) => ApiContext;
  log: (msg: string) => void;
};
