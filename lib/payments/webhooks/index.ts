// Processor events (PAY-2): stored before acted on, one handler file per event type.
export { receiveStripeEvent, reprocessStoredEvent, type ReceiveOutcome } from "./receive";
export { unfinishedEvents } from "./store";
export { HANDLERS } from "./dispatch";
