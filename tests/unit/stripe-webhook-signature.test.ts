import { describe, expect, it } from "vitest";
import { isSignatureError, signStripePayload, verifyStripeEvent } from "../../lib/payments/stripe/webhook-signature";

const SECRET = "whsec_unit_test_secret";
const event = {
  id: "evt_1",
  object: "event",
  type: "payment_intent.succeeded",
  data: { object: { id: "pi_1", object: "payment_intent", status: "succeeded" } },
};
const body = JSON.stringify(event);
const nowS = () => Math.floor(Date.now() / 1000);

/** What verifying threw, asserting that it did throw. */
function thrownBy(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error("expected verification to throw");
}

describe("Stripe webhook signatures", () => {
  it("PAY-2: a payload signed with the endpoint's secret verifies and yields the event", () => {
    const header = signStripePayload(body, SECRET);
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    const verified = verifyStripeEvent(body, header, SECRET);
    expect(verified).toEqual(event);
  });

  it("PAY-2: a signature made 4 minutes ago is still within the tolerance", () => {
    const header = signStripePayload(body, SECRET, nowS() - 240);
    expect(verifyStripeEvent(body, header, SECRET).id).toBe("evt_1");
  });

  it("PAY-2: a payload signed with another secret is refused", () => {
    const header = signStripePayload(body, "whsec_someone_else");
    const e = thrownBy(() => verifyStripeEvent(body, header, SECRET));
    expect(isSignatureError(e)).toBe(true);
  });

  it("PAY-2: a body with one byte changed is refused", () => {
    const header = signStripePayload(body, SECRET);
    const tampered = body.replace('"succeeded"', '"succeedee"');
    expect(tampered).not.toBe(body);
    expect(tampered.length).toBe(body.length);
    const e = thrownBy(() => verifyStripeEvent(tampered, header, SECRET));
    expect(isSignatureError(e)).toBe(true);
  });

  it("PAY-2: a signature older than five minutes (now − 400 s) is refused, even with the right secret", () => {
    const header = signStripePayload(body, SECRET, nowS() - 400);
    const e = thrownBy(() => verifyStripeEvent(body, header, SECRET));
    expect(isSignatureError(e)).toBe(true);
  });

  it("PAY-2: a delivery without a Stripe-Signature header (null) is refused", () => {
    const e = thrownBy(() => verifyStripeEvent(body, null, SECRET));
    expect(isSignatureError(e)).toBe(true);
  });

  it("PAY-2: a garbage Stripe-Signature header is refused", () => {
    for (const header of ["garbage", "t=abc,v1=zz", "v1=" + "0".repeat(64), ""]) {
      const e = thrownBy(() => verifyStripeEvent(body, header, SECRET));
      expect(isSignatureError(e), header).toBe(true);
    }
  });

  it("PAY-2: isSignatureError is false for other errors", () => {
    expect(isSignatureError(new Error("boom"))).toBe(false);
    expect(isSignatureError(null)).toBe(false);
  });
});
