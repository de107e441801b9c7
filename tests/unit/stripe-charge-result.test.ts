import type Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { chargeResultOf } from "../../lib/payments/stripe/port";

/** A PaymentIntent with only the fields chargeResultOf reads. */
function pi(fields: {
  id?: string;
  status: Stripe.PaymentIntent.Status;
  next_action?: unknown;
  last_payment_error?: unknown;
}): Stripe.PaymentIntent {
  return {
    id: "pi_123",
    object: "payment_intent",
    next_action: null,
    last_payment_error: null,
    ...fields,
  } as unknown as Stripe.PaymentIntent;
}

describe("chargeResultOf", () => {
  it("PAY-1: a succeeded PaymentIntent is a succeeded charge with its id", () => {
    expect(chargeResultOf(pi({ status: "succeeded" }))).toEqual({ status: "succeeded", providerPaymentId: "pi_123" });
  });

  it("PAY-1: requires_action with a redirect URL is a 3-D Secure step at that URL", () => {
    const result = chargeResultOf(
      pi({
        id: "pi_3ds",
        status: "requires_action",
        next_action: {
          type: "redirect_to_url",
          redirect_to_url: {
            url: "https://hooks.stripe.com/3d_secure/abc",
            return_url: "http://localhost:3000/payments/return",
          },
        },
      }),
    );
    expect(result).toEqual({
      status: "requires_action",
      providerPaymentId: "pi_3ds",
      actionUrl: "https://hooks.stripe.com/3d_secure/abc",
    });
  });

  it("PAY-1: requires_action without a redirect URL (Stripe.js handles it in the page) is pending, not a failure", () => {
    expect(
      chargeResultOf(pi({ status: "requires_action", next_action: { type: "use_stripe_sdk", use_stripe_sdk: {} } })),
    ).toEqual({
      status: "pending",
      providerPaymentId: "pi_123",
    });
  });

  it("PAY-3: Alipay's alipay_handle_redirect is a step at its URL; WeChat Pay's wechat_pay_display_qr_code is a code to show (with the hosted page)", () => {
    const alipay = pi({
      id: "pi_ali",
      status: "requires_action",
      next_action: {
        type: "alipay_handle_redirect",
        alipay_handle_redirect: {
          url: "https://hooks.stripe.com/alipay/x",
          return_url: "http://localhost/r",
          native_url: null,
          native_data: null,
        },
      },
    });
    expect(chargeResultOf(alipay)).toEqual({
      status: "requires_action",
      providerPaymentId: "pi_ali",
      actionUrl: "https://hooks.stripe.com/alipay/x",
    });
    const wechat = pi({
      id: "pi_wx",
      status: "requires_action",
      next_action: {
        type: "wechat_pay_display_qr_code",
        wechat_pay_display_qr_code: {
          data: "weixin://wxpay/bizpayurl?pr=abc",
          hosted_instructions_url: "https://pay.stripe.com/wx/abc",
          image_data_url: "",
          image_url_png: "",
          image_url_svg: "",
        },
      },
    });
    expect(chargeResultOf(wechat)).toEqual({
      status: "requires_action",
      providerPaymentId: "pi_wx",
      actionUrl: "https://pay.stripe.com/wx/abc",
      qrData: "weixin://wxpay/bizpayurl?pr=abc",
    });
  });

  it("PAY-3: a canceled PaymentIntent (a code no one scanned) is a failure coded canceled", () => {
    expect(chargeResultOf(pi({ status: "canceled" }))).toEqual({
      status: "failed",
      providerPaymentId: "pi_123",
      code: "canceled",
    });
  });

  it("PAY-1: processing is pending (a webhook will say how it ends)", () => {
    expect(chargeResultOf(pi({ status: "processing" }))).toEqual({ status: "pending", providerPaymentId: "pi_123" });
  });

  it("PAY-1: requires_capture and requires_confirmation are pending too", () => {
    expect(chargeResultOf(pi({ status: "requires_capture" }))).toEqual({
      status: "pending",
      providerPaymentId: "pi_123",
    });
    expect(chargeResultOf(pi({ status: "requires_confirmation" }))).toEqual({
      status: "pending",
      providerPaymentId: "pi_123",
    });
  });

  it("SUB-2: requires_payment_method after an insufficient-funds decline fails with code insufficient_funds (the decline code wins)", () => {
    const result = chargeResultOf(
      pi({
        id: "pi_nsf",
        status: "requires_payment_method",
        last_payment_error: { type: "card_error", code: "card_declined", decline_code: "insufficient_funds" },
      }),
    );
    expect(result).toEqual({ status: "failed", providerPaymentId: "pi_nsf", code: "insufficient_funds" });
  });

  it("SUB-2: a payment error without a decline code fails with the error's code", () => {
    expect(
      chargeResultOf(
        pi({ status: "requires_payment_method", last_payment_error: { type: "card_error", code: "expired_card" } }),
      ),
    ).toEqual({
      status: "failed",
      providerPaymentId: "pi_123",
      code: "expired_card",
    });
    expect(
      chargeResultOf(
        pi({
          status: "requires_payment_method",
          last_payment_error: { type: "card_error", code: "authentication_required", decline_code: "" },
        }),
      ),
    ).toEqual({ status: "failed", providerPaymentId: "pi_123", code: "authentication_required" });
  });

  it("SUB-2: requires_payment_method with no error recorded fails as requires_payment_method", () => {
    expect(chargeResultOf(pi({ status: "requires_payment_method" }))).toEqual({
      status: "failed",
      providerPaymentId: "pi_123",
      code: "requires_payment_method",
    });
  });

  it("PAY-1: a canceled PaymentIntent fails with code canceled", () => {
    expect(chargeResultOf(pi({ id: "pi_cx", status: "canceled" }))).toEqual({
      status: "failed",
      providerPaymentId: "pi_cx",
      code: "canceled",
    });
  });

  it("PAY-1: a canceled PaymentIntent that was declined first keeps the decline code", () => {
    expect(
      chargeResultOf(
        pi({ status: "canceled", last_payment_error: { code: "card_declined", decline_code: "do_not_honor" } }),
      ),
    ).toEqual({
      status: "failed",
      providerPaymentId: "pi_123",
      code: "do_not_honor",
    });
  });
});
