import { z } from "zod";

/**
 * Every environment variable CodePlan reads, with its default. The README's
 * table is written from this list. Parsed once; a bad value stops start-up with
 * one line that names the variable (see `ConfigError`).
 */
// Ports are plain decimal integers: "0x10" or "1e3" is a typo, not a port.
const port = z
  .string()
  .regex(/^\d{1,5}$/, "must be a whole number from 1 to 65535")
  .transform(Number)
  .pipe(z.number().int().min(1, "must be from 1 to 65535").max(65535, "must be from 1 to 65535"));

const httpUrl = z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" });

// `glm-4.7=gpt-4.1-mini,glm-5=claude-sonnet-4-5`: the names clients send (lower case) to the model server's.
const modelMap = z
  .string()
  .regex(
    /^\s*[^=,\s]+\s*=\s*[^=,\s]+\s*(,\s*[^=,\s]+\s*=\s*[^=,\s]+\s*)*$/,
    "must be a comma-separated list of ours=theirs model names",
  )
  .transform(
    (s) =>
      new Map(
        s
          .split(",")
          .map((pair) => pair.split("=").map((n) => n.trim()) as [string, string])
          .map(([a, b]) => [a.toLowerCase(), b]),
      ),
  );

const schema = z
  .object({
    APP_ENV: z.enum(["development", "test", "production"]).default("development"),
    PORT: port.default(3000),
    // SEC-2: how many proxies of the operator's sit in front of the app and the decision server. Each appends the
    // address it saw to X-Forwarded-For; with none (the default) only the socket's address counts.
    TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgresql:// URL")
      .optional(),
    CODEPLAN_DATA_DIR: z.string().min(1).default(".data"),
    EMBEDDED_PG_PORT: port.default(54320),
    NEXTAUTH_URL: z.url().optional(),
    NEXTAUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, "must be an smtp:// or smtps:// URL")
      .optional(),
    MAIL_FROM: z.string().min(3).default("CodePlan <no-reply@codeplan.local>"),
    AUTH_THROTTLE_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
    AUTH_THROTTLE_WINDOW_SECONDS: z.coerce.number().int().min(1).default(60),
    // SEC-2: sign-up confirmations, sign-in links and invitations one network may have sent, of each kind, per hour.
    MAIL_NETWORK_LIMIT_PER_HOUR: z.coerce.number().int().min(1).max(1_000_000).default(20),
    JOB_SWEEP_SECONDS: z.coerce.number().int().min(1).default(30),
    JOB_TIMEOUT_SECONDS: z.coerce.number().int().min(1).default(120),
    // Real Stripe when both are set; otherwise (outside production) the local Stripe-compatible server.
    STRIPE_SECRET_KEY: z
      .string()
      .regex(/^(sk|rk)_(test|live)_/, "must be a Stripe secret key (sk_test_… or sk_live_…)")
      .optional(),
    STRIPE_WEBHOOK_SECRET: z
      .string()
      .regex(/^whsec_/, "must be a webhook signing secret (whsec_…)")
      .optional(),
    STRIPE_PUBLISHABLE_KEY: z
      .string()
      .regex(/^pk_(test|live)_/, "must be a Stripe publishable key (pk_test_… or pk_live_…)")
      .optional(),
    // Set by `npm start` to the local server it runs; a URL here points the SDK at any Stripe-compatible server.
    STRIPE_LOCAL_URL: z.url().optional(),
    STRIPE_LOCAL_PORT: port.default(12111),
    // SUB-2 dunning: days after the failed renewal on which the card is tried again, then the plan lapses.
    DUNNING_RETRY_DAYS: z
      .string()
      .regex(/^\d{1,3}(,\d{1,3})*$/, "must be a comma-separated list of whole days, e.g. 1,3,5")
      .transform((s) => s.split(",").map(Number))
      .refine(
        (days) => days.every((d, i) => d > 0 && (i === 0 || d > days[i - 1])),
        "days must be positive and increasing",
      )
      .default([1, 3, 5]),
    // The renewal reminder goes out this long before the cancellation cutoff (SUB-3), so there is time to cancel.
    RENEWAL_REMINDER_HOURS: z.coerce.number().int().min(1).max(720).default(72),
    // Set by `npm start`: a job worker runs beside the web process and processes stored Stripe events.
    WEBHOOK_EVENTS_BY_WORKER: z.enum(["0", "1"]).optional(),
    // The model gateway's shared secret for the decision API (Authorization: Bearer …); `npm start` makes one outside production.
    GATEWAY_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
    // Port of the decision server `npm start` runs beside the app (the gateway's hot path, see the README).
    DECISION_PORT: port.default(3001),
    // SEC-3: the address it listens on. Loopback unless the operator opens it to a gateway on another machine
    // (0.0.0.0 or :: for every interface, or one interface's address).
    DECISION_HOST: z
      .union([z.ipv4(), z.ipv6()], { error: "must be an IP address, e.g. 127.0.0.1 (loopback), 0.0.0.0 or ::" })
      .default("127.0.0.1"),
    // QUOTA-8: a concurrency slot not renewed for this long is taken to belong to a crashed call and freed.
    QUOTA_SLOT_LEASE_SECONDS: z.coerce.number().int().min(5).max(3600).default(120),
    // GATE-1: the model servers the reference gateway forwards to, one per wire (base URLs as the official SDKs take
    // them: Anthropic's without /v1, OpenAI's with it). A wire without its own is translated to the other one; with
    // neither, the local responder answers outside production and the model endpoints answer 503 in production (GATE-2).
    UPSTREAM_ANTHROPIC_URL: httpUrl.optional(),
    UPSTREAM_ANTHROPIC_KEY: z.string().optional(),
    UPSTREAM_OPENAI_URL: httpUrl.optional(),
    UPSTREAM_OPENAI_KEY: z.string().optional(),
    // The OpenAI key's earlier name, still read when UPSTREAM_OPENAI_KEY is unset.
    UPSTREAM_API_KEY: z.string().optional(),
    // Model names the gateway renames on the way out, `ours=theirs,…` (e.g. glm-4.7=gpt-4.1-mini).
    UPSTREAM_MODEL_MAP: modelMap.default(new Map<string, string>()),
    // GATE-3: how long to wait for a model server's answer to start, and for the next piece of a started answer.
    UPSTREAM_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
    UPSTREAM_IDLE_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(300_000),
    // QUOTA-9: whether one API key may be made for both the coding plan and pay-as-you-go calls (1), or only for one (0).
    API_KEY_PURPOSE_BOTH: z.enum(["0", "1"]).default("1"),
    // QUOTA-1: a call answering tool calls the gateway returned this recently continues their prompt.
    TOOL_LOOP_MINUTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(30),
    // ALERT-1: subscribers' webhooks may reach loopback, private and link-local addresses only when this is 1
    // (the demo and the tests, whose receivers run on this machine); never leave it on where users are strangers.
    ALERT_WEBHOOK_ALLOW_PRIVATE: z.enum(["0", "1"]).default("0"),
    // ALERT-1: how long one webhook attempt may take to connect and to answer.
    ALERT_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
    // GET /metrics (Prometheus text) answers only with `Authorization: Bearer <this>`; unset, /metrics does not exist (404).
    METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
    // OpenTelemetry traces go to this OTLP/HTTP collector (e.g. http://collector:4318); unset, nothing is sent.
    OTEL_EXPORTER_OTLP_ENDPOINT: httpUrl.optional(),
    // REL-2: how many of each process `npm start` runs on the one database (`--instances N` sets all three). Web apps
    // listen on PORT, PORT+1, …, decision servers on DECISION_PORT, DECISION_PORT+1, …; 0 web apps serves the gateway only.
    WEB_INSTANCES: z.coerce.number().int().min(0).max(16).default(1),
    DECISION_INSTANCES: z.coerce.number().int().min(0).max(16).default(1),
    WORKER_INSTANCES: z.coerce.number().int().min(0).max(16).default(1),
    // REL-3: while the database is down, how long a request waits for it to come back before it is answered 503 with Retry-After.
    DB_UNAVAILABLE_WAIT_MS: z.coerce.number().int().min(100).max(60_000).default(1000),
    // Graceful stop: how long calls in flight (and the worker's current job) may take to finish after SIGTERM.
    SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(1).max(600).default(30),
  })
  .superRefine((env, ctx) => {
    if (env.APP_ENV !== "production") return;
    // In production nothing may fall back to a local default.
    for (const key of ["DATABASE_URL", "NEXTAUTH_URL", "NEXTAUTH_SECRET", "SMTP_URL", "GATEWAY_SECRET"] as const) {
      if (!env[key]) ctx.addIssue({ code: "custom", path: [key], message: "is required when APP_ENV=production" });
    }
    if (env.STRIPE_LOCAL_URL)
      ctx.addIssue({
        code: "custom",
        path: ["STRIPE_LOCAL_URL"],
        message: "the local Stripe server is for development and tests only",
      });
  })
  .superRefine((env, ctx) => {
    // A key for a model server that is not configured is a typo, not a choice.
    if (env.UPSTREAM_ANTHROPIC_KEY && !env.UPSTREAM_ANTHROPIC_URL)
      ctx.addIssue({
        code: "custom",
        path: ["UPSTREAM_ANTHROPIC_URL"],
        message: "is required with UPSTREAM_ANTHROPIC_KEY",
      });
    if ((env.UPSTREAM_OPENAI_KEY || env.UPSTREAM_API_KEY) && !env.UPSTREAM_OPENAI_URL)
      ctx.addIssue({ code: "custom", path: ["UPSTREAM_OPENAI_URL"], message: "is required with UPSTREAM_OPENAI_KEY" });
  })
  .superRefine((env, ctx) => {
    // Half a Stripe configuration is a typo, not a choice: say so rather than fall back to the local server.
    // (With the local server, `npm start` sets the webhook secret and the local URL, and no key is needed.)
    if (!env.STRIPE_LOCAL_URL && Boolean(env.STRIPE_SECRET_KEY) !== Boolean(env.STRIPE_WEBHOOK_SECRET))
      ctx.addIssue({
        code: "custom",
        path: [env.STRIPE_SECRET_KEY ? "STRIPE_WEBHOOK_SECRET" : "STRIPE_SECRET_KEY"],
        message: "is required with the other Stripe key",
      });
  });

export type Env = z.infer<typeof schema>;

export class ConfigError extends Error {}

export function parseEnv(source: Record<string, string | undefined>): Env {
  // Empty strings count as unset, as in most .env tooling.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new ConfigError(`invalid setting ${String(issue.path[0])}: ${issue.message}`);
  }
  return result.data;
}

let cached: Env | undefined;
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

export const isProduction = () => env().APP_ENV === "production";
