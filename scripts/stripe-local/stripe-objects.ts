/**
 * The Stripe objects this server stores, in the JSON shape Stripe's API
 * returns (fields the app never reads are kept at Stripe's defaults so the
 * SDK's types and any `expand` see familiar objects).
 */

export type Metadata = Record<string, string>;

export type Address = {
  city: string | null;
  country: string | null;
  line1: string | null;
  line2: string | null;
  postal_code: string | null;
  state: string | null;
};

export type Customer = {
  id: string;
  object: "customer";
  address: Address | null;
  balance: number;
  created: number;
  currency: string | null;
  customer_account: null;
  default_source: string | null;
  delinquent: boolean;
  description: string | null;
  email: string | null;
  invoice_prefix: string;
  invoice_settings: {
    custom_fields: null;
    default_payment_method: string | null;
    footer: null;
    rendering_options: null;
  };
  livemode: false;
  metadata: Metadata;
  name: string | null;
  phone: string | null;
  preferred_locales: string[];
  shipping: null;
  tax_exempt: "none";
  test_clock: null;
};

export type CardDetails = {
  brand: string;
  checks: { address_line1_check: null; address_postal_code_check: null; cvc_check: "pass" };
  country: string;
  display_brand: string;
  exp_month: number;
  exp_year: number;
  fingerprint: string;
  funding: "credit";
  generated_from: null;
  last4: string;
  networks: { available: string[]; preferred: null };
  three_d_secure_usage: { supported: true };
  wallet: null;
};

export type PaymentMethod = {
  id: string;
  object: "payment_method";
  allow_redisplay: "unspecified";
  billing_details: { address: Address; email: string | null; name: string | null; phone: string | null };
  card: CardDetails;
  created: number;
  customer: string | null;
  customer_account: null;
  livemode: false;
  metadata: Metadata;
  type: "card";
};

/** `last_payment_error` / `last_setup_error`. */
export type IntentError = {
  type: "card_error" | "invalid_request_error";
  code: string;
  decline_code?: string;
  doc_url: string;
  message: string;
  payment_method?: PaymentMethod;
};

/** A wallet's PaymentMethod (PAY-3): no details to show but its type; an Alipay one can be saved with an agreement. */
export type WalletPaymentMethod = Omit<PaymentMethod, "card" | "type"> & {
  type: "alipay" | "wechat_pay";
  alipay?: Record<string, never>;
  wechat_pay?: Record<string, never>;
};

/** What a charge paid by a wallet says about it (Stripe's `payment_method_details.alipay` / `.wechat_pay`). */
export type WalletChargeDetails =
  | { type: "alipay"; alipay: { buyer_id: string; fingerprint: string; transaction_id: string } }
  | { type: "wechat_pay"; wechat_pay: { fingerprint: string; transaction_id: string } };

/** Alipay's next step: send the buyer to `url`; they come back to `return_url`. */
export type AlipayAction = {
  type: "alipay_handle_redirect";
  alipay_handle_redirect: { native_data: null; native_url: null; return_url: string | null; url: string };
};

/** WeChat Pay's next step: show a QR code encoding `data`; the hosted page shows the same code. */
export type WechatQrAction = {
  type: "wechat_pay_display_qr_code";
  wechat_pay_display_qr_code: {
    data: string;
    hosted_instructions_url: string;
    image_data_url: string;
    image_url_png: string;
    image_url_svg: string;
  };
};

export type RedirectAction = {
  type: "redirect_to_url";
  redirect_to_url: { url: string; return_url: string | null };
};

export type SetupIntentStatus =
  "requires_payment_method" | "requires_confirmation" | "requires_action" | "processing" | "canceled" | "succeeded";

export type SetupIntent = {
  id: string;
  object: "setup_intent";
  /** This API version's name for the old `payment_method_types` parameter (null when not given). */
  allowed_payment_method_types: string[] | null;
  application: null;
  automatic_payment_methods: { allow_redirects: "always"; enabled: true } | null;
  cancellation_reason: null;
  client_secret: string;
  created: number;
  customer: string | null;
  customer_account: null;
  description: string | null;
  excluded_payment_method_types: null;
  flow_directions: null;
  last_setup_error: IntentError | null;
  latest_attempt: null;
  livemode: false;
  mandate: null;
  metadata: Metadata;
  next_action: RedirectAction | null;
  on_behalf_of: null;
  payment_method: string | null;
  payment_method_configuration_details: null;
  payment_method_options: { card: { mandate_options: null; network: null; request_three_d_secure: "automatic" } };
  payment_method_types: string[];
  single_use_mandate: null;
  status: SetupIntentStatus;
  usage: "on_session" | "off_session";
};

export type PaymentIntentStatus =
  | "requires_payment_method"
  | "requires_confirmation"
  | "requires_action"
  | "processing"
  | "requires_capture"
  | "canceled"
  | "succeeded";

export type PaymentIntent = {
  id: string;
  object: "payment_intent";
  allowed_payment_method_types: string[] | null;
  amount: number;
  amount_capturable: number;
  amount_received: number;
  application: null;
  application_fee_amount: null;
  automatic_payment_methods: { allow_redirects: "always"; enabled: true } | null;
  canceled_at: number | null;
  cancellation_reason: string | null;
  capture_method: "automatic";
  client_secret: string;
  confirmation_method: "automatic";
  created: number;
  currency: string;
  customer: string | null;
  customer_account: null;
  description: string | null;
  excluded_payment_method_types: null;
  last_payment_error: IntentError | null;
  latest_charge: string | null;
  livemode: false;
  managed_payments: null;
  metadata: Metadata;
  next_action: RedirectAction | AlipayAction | WechatQrAction | null;
  on_behalf_of: null;
  payment_method: string | null;
  payment_method_configuration_details: null;
  payment_method_options: {
    card?: { installments: null; mandate_options: null; network: null; request_three_d_secure: "automatic" };
    alipay?: { setup_future_usage?: "off_session" | "none" };
    wechat_pay?: { app_id: null; client: "web" | "ios" | "android" };
  };
  payment_method_types: string[];
  payment_record: null;
  processing: null;
  receipt_email: string | null;
  review: null;
  setup_future_usage: "on_session" | "off_session" | null;
  shipping: null;
  source: null;
  statement_descriptor: null;
  statement_descriptor_suffix: null;
  status: PaymentIntentStatus;
  transfer_data: null;
  transfer_group: null;
};

export type Charge = {
  id: string;
  object: "charge";
  amount: number;
  amount_captured: number;
  amount_refunded: number;
  application: null;
  application_fee: null;
  application_fee_amount: null;
  balance_transaction: null;
  billing_details: PaymentMethod["billing_details"];
  calculated_statement_descriptor: string;
  captured: true;
  created: number;
  currency: string;
  customer: string | null;
  description: string | null;
  disputed: boolean;
  failure_balance_transaction: null;
  failure_code: null;
  failure_message: null;
  fraud_details: Record<string, never>;
  livemode: false;
  metadata: Metadata;
  on_behalf_of: null;
  outcome: {
    network_status: "approved_by_network";
    reason: null;
    risk_level: "normal";
    seller_message: string;
    type: "authorized";
  };
  paid: true;
  payment_intent: string;
  payment_method: string;
  payment_method_details:
    | {
        card: {
          brand: string;
          country: string;
          exp_month: number;
          exp_year: number;
          fingerprint: string;
          funding: "credit";
          last4: string;
          network: string;
          three_d_secure: { authentication_flow: "challenge"; result: "authenticated"; version: "2.2.0" } | null;
        };
        type: "card";
      }
    | WalletChargeDetails;
  receipt_email: null;
  receipt_number: null;
  receipt_url: null;
  refunded: boolean;
  review: null;
  shipping: null;
  source: null;
  source_transfer: null;
  statement_descriptor: null;
  statement_descriptor_suffix: null;
  status: "succeeded";
  transfer_data: null;
  transfer_group: null;
};

export type Refund = {
  id: string;
  object: "refund";
  amount: number;
  balance_transaction: null;
  charge: string;
  created: number;
  currency: string;
  customer: string | null;
  customer_account: null;
  destination_details: null;
  metadata: Metadata;
  payment_intent: string;
  payment_method: string;
  reason: "duplicate" | "fraudulent" | "requested_by_customer" | null;
  receipt_number: null;
  source_transfer_reversal: null;
  status: "succeeded";
  transfer_reversal: null;
};

export type Dispute = {
  id: string;
  object: "dispute";
  amount: number;
  balance_transactions: never[];
  charge: string;
  created: number;
  currency: string;
  enhanced_eligibility_types: never[];
  evidence_details: { due_by: number; has_evidence: boolean; past_due: boolean; submission_count: number };
  intended_submission_method: null;
  is_charge_refundable: boolean;
  livemode: false;
  metadata: Metadata;
  payment_intent: string;
  reason: string;
  status: "needs_response" | "won" | "lost";
};

export type StripeEvent = {
  id: string;
  object: "event";
  api_version: string;
  created: number;
  data: { object: unknown };
  livemode: false;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  type: string;
};

/** The API version this server speaks (the one the app's SDK is pinned to). */
export const API_VERSION = "2026-10-28.endive";
