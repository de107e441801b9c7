import { WEBHOOK_SECRET } from "../../support/stripe";

/**
 * Settings for body-bounds.test.ts, imported first: the auth route reads the
 * environment (through env(), parsed once) when it is imported. The webhook
 * routes need a processor configured; nothing in those tests reaches it.
 */
export const GATEWAY_SECRET = "b".repeat(40);
process.env.GATEWAY_SECRET = GATEWAY_SECRET;
process.env.APP_ENV = "test";
process.env.STRIPE_LOCAL_URL = "http://127.0.0.1:9";
process.env.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET;
