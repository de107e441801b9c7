// Processor events (PAY-2): stored before acted on, acknowledged, processed in batches; one handler file per event type.
export { receiveStripeEvent, eventsDrained, type ReceiveOutcome } from "./receive";
export { drainEvents, type EventOutcome } from "./process";
export { HANDLERS } from "./dispatch";
export { stripeWebhookEndpoint } from "./endpoint";
