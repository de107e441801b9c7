import type { State } from "./state";

/** Finds any stored object by id, reading the collection from the id's prefix (for `expand[]`). */
export function lookupObject(state: State, id: string): unknown {
  switch (id.slice(0, id.indexOf("_"))) {
    case "cus":
      return state.customers[id];
    case "pm":
      return state.paymentMethods[id];
    case "seti":
      return state.setupIntents[id];
    case "pi":
      return state.paymentIntents[id];
    case "ch":
      return state.charges[id];
    case "re":
      return state.refunds[id];
    case "du":
      return state.disputes[id];
    case "evt":
      return state.events.find((e) => e.id === id);
    default:
      return undefined;
  }
}
