import { describe, expect, it } from "vitest";
import { ConfigError, parseEnv } from "../../lib/config/env";

const PROD = {
  APP_ENV: "production",
  DATABASE_URL: "postgres://codeplan@db:5432/codeplan",
  NEXTAUTH_URL: "https://codeplan.example",
  NEXTAUTH_SECRET: "s".repeat(32),
  SMTP_URL: "smtp://mail:25",
  GATEWAY_SECRET: "g".repeat(32),
};

/** Runs parseEnv and returns the ConfigError it throws (fails the test if it does not throw one). */
function configError(source: Record<string, string | undefined>): ConfigError {
  try {
    parseEnv(source);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error("parseEnv did not throw");
}

describe("parseEnv", () => {
  it("config: an empty environment gives the documented defaults", () => {
    expect(parseEnv({})).toEqual({
      APP_ENV: "development",
      PORT: 3000,
      TRUSTED_PROXY_HOPS: 0,
      CODEPLAN_DATA_DIR: ".data",
      EMBEDDED_PG_PORT: 54320,
      MAIL_FROM: "CodePlan <no-reply@codeplan.local>",
      AUTH_THROTTLE_MAX_FAILURES: 5,
      AUTH_THROTTLE_WINDOW_SECONDS: 60,
      MAIL_NETWORK_LIMIT_PER_HOUR: 20,
      JOB_SWEEP_SECONDS: 30,
      JOB_TIMEOUT_SECONDS: 120,
      STRIPE_LOCAL_PORT: 12111,
      DUNNING_RETRY_DAYS: [1, 3, 5],
      RENEWAL_REMINDER_HOURS: 72,
      DECISION_PORT: 3001,
      DECISION_HOST: "127.0.0.1",
      QUOTA_SLOT_LEASE_SECONDS: 120,
      UPSTREAM_MODEL_MAP: new Map(),
      UPSTREAM_CONNECT_TIMEOUT_MS: 30_000,
      UPSTREAM_IDLE_TIMEOUT_MS: 300_000,
      TOOL_LOOP_MINUTES: 30,
      API_KEY_PURPOSE_BOTH: "1",
      ALERT_WEBHOOK_ALLOW_PRIVATE: "0",
      ALERT_WEBHOOK_TIMEOUT_MS: 10000,
      WEB_INSTANCES: 1,
      DECISION_INSTANCES: 1,
      WORKER_INSTANCES: 1,
      DB_UNAVAILABLE_WAIT_MS: 1000,
      SHUTDOWN_GRACE_SECONDS: 30,
    });
  });

  it("SEC-2: TRUSTED_PROXY_HOPS is a small whole number of proxies", () => {
    expect(parseEnv({ TRUSTED_PROXY_HOPS: "2" }).TRUSTED_PROXY_HOPS).toBe(2);
    for (const bad of ["-1", "1.5", "eleven", "11"])
      expect(configError({ TRUSTED_PROXY_HOPS: bad }).message).toMatch(/^invalid setting TRUSTED_PROXY_HOPS/);
  });

  it("GATE-1: model servers are validated at start — http(s) URLs, no key without its server, a well-formed model map", () => {
    expect(configError({ UPSTREAM_ANTHROPIC_URL: "ftp://models.example" }).message).toBe(
      "invalid setting UPSTREAM_ANTHROPIC_URL: must be an http:// or https:// URL",
    );
    expect(configError({ UPSTREAM_ANTHROPIC_KEY: "sk-ant" }).message).toBe(
      "invalid setting UPSTREAM_ANTHROPIC_URL: is required with UPSTREAM_ANTHROPIC_KEY",
    );
    expect(configError({ UPSTREAM_OPENAI_KEY: "sk" }).message).toBe(
      "invalid setting UPSTREAM_OPENAI_URL: is required with UPSTREAM_OPENAI_KEY",
    );
    expect(configError({ UPSTREAM_MODEL_MAP: "glm-4.7" }).message).toBe(
      "invalid setting UPSTREAM_MODEL_MAP: must be a comma-separated list of ours=theirs model names",
    );
    expect(configError({ UPSTREAM_IDLE_TIMEOUT_MS: "5" }).message).toMatch(/^invalid setting UPSTREAM_IDLE_TIMEOUT_MS/);
    const ok = parseEnv({
      UPSTREAM_OPENAI_URL: "https://models.example/v1",
      UPSTREAM_API_KEY: "old-name",
      UPSTREAM_MODEL_MAP: "GLM-4.7 = gpt-x, glm-5=claude-y",
    });
    expect([...ok.UPSTREAM_MODEL_MAP]).toEqual([
      ["glm-4.7", "gpt-x"],
      ["glm-5", "claude-y"],
    ]);
  });

  it("SEC-3: the decision server listens on loopback unless told otherwise; the address must be an IP address", () => {
    expect(parseEnv({}).DECISION_HOST).toBe("127.0.0.1");
    expect(parseEnv({ DECISION_HOST: "0.0.0.0" }).DECISION_HOST).toBe("0.0.0.0");
    expect(parseEnv({ DECISION_HOST: "::" }).DECISION_HOST).toBe("::");
    expect(configError({ DECISION_HOST: "everywhere" }).message).toBe(
      "invalid setting DECISION_HOST: must be an IP address, e.g. 127.0.0.1 (loopback), 0.0.0.0 or ::",
    );
  });

  it("QUOTA-8: the gateway secret is long enough and required in production; the slot lease is bounded", () => {
    expect(configError({ GATEWAY_SECRET: "short" }).message).toBe(
      "invalid setting GATEWAY_SECRET: must be at least 32 characters",
    );
    expect(configError({ QUOTA_SLOT_LEASE_SECONDS: "2" }).message).toMatch(/^invalid setting QUOTA_SLOT_LEASE_SECONDS/);
    expect(configError({ UPSTREAM_OPENAI_URL: "not a url" }).message).toMatch(/^invalid setting UPSTREAM_OPENAI_URL/);
  });

  it("config: Stripe needs both keys; a half configuration is refused by name", () => {
    expect(configError({ STRIPE_SECRET_KEY: "sk_test_abc" }).message).toBe(
      "invalid setting STRIPE_WEBHOOK_SECRET: is required with the other Stripe key",
    );
    expect(configError({ STRIPE_WEBHOOK_SECRET: "whsec_abc" }).message).toBe(
      "invalid setting STRIPE_SECRET_KEY: is required with the other Stripe key",
    );
    expect(configError({ STRIPE_SECRET_KEY: "pk_test_abc", STRIPE_WEBHOOK_SECRET: "whsec_abc" }).message).toMatch(
      /^invalid setting STRIPE_SECRET_KEY/,
    );
    expect(parseEnv({ STRIPE_SECRET_KEY: "sk_test_abc", STRIPE_WEBHOOK_SECRET: "whsec_abc" }).STRIPE_SECRET_KEY).toBe(
      "sk_test_abc",
    );
  });

  it("SUB-2: dunning days are configurable, positive and increasing", () => {
    expect(parseEnv({ DUNNING_RETRY_DAYS: "2,4" }).DUNNING_RETRY_DAYS).toEqual([2, 4]);
    expect(configError({ DUNNING_RETRY_DAYS: "3,1" }).message).toMatch(/^invalid setting DUNNING_RETRY_DAYS/);
    expect(configError({ DUNNING_RETRY_DAYS: "1;3" }).message).toMatch(/^invalid setting DUNNING_RETRY_DAYS/);
  });

  it("config: empty strings count as unset and get the defaults", () => {
    const env = parseEnv({ APP_ENV: "", PORT: "", EMBEDDED_PG_PORT: "", DATABASE_URL: "", NEXTAUTH_SECRET: "" });
    expect(env.APP_ENV).toBe("development");
    expect(env.PORT).toBe(3000);
    expect(env.EMBEDDED_PG_PORT).toBe(54320);
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.NEXTAUTH_SECRET).toBeUndefined();
  });

  it("config: undefined values count as unset", () => {
    expect(parseEnv({ PORT: undefined, APP_ENV: undefined }).PORT).toBe(3000);
  });

  it("config: numeric settings are parsed from strings", () => {
    const env = parseEnv({
      PORT: "8080",
      EMBEDDED_PG_PORT: "5433",
      AUTH_THROTTLE_MAX_FAILURES: "3",
      AUTH_THROTTLE_WINDOW_SECONDS: "120",
    });
    expect(env.PORT).toBe(8080);
    expect(env.EMBEDDED_PG_PORT).toBe(5433);
    expect(env.AUTH_THROTTLE_MAX_FAILURES).toBe(3);
    expect(env.AUTH_THROTTLE_WINDOW_SECONDS).toBe(120);
  });

  it("config: PORT accepts the edges 1 and 65535", () => {
    expect(parseEnv({ PORT: "1" }).PORT).toBe(1);
    expect(parseEnv({ PORT: "65535" }).PORT).toBe(65535);
  });

  it("config: an invalid PORT throws a one-line ConfigError naming PORT", () => {
    for (const port of ["abc", "0", "-1", "65536", "3000.5"]) {
      const err = configError({ PORT: port });
      expect(err.message, port).toMatch(/^invalid setting PORT: /);
      expect(err.message, port).not.toContain("\n");
    }
  });

  it("config: PORT=0 says what the lower bound is", () => {
    expect(configError({ PORT: "0" }).message).toBe("invalid setting PORT: must be from 1 to 65535");
  });

  it("config: an invalid EMBEDDED_PG_PORT names EMBEDDED_PG_PORT", () => {
    expect(configError({ EMBEDDED_PG_PORT: "70000" }).message).toMatch(/^invalid setting EMBEDDED_PG_PORT: /);
  });

  it("config: DATABASE_URL accepts postgres:// and postgresql://", () => {
    expect(parseEnv({ DATABASE_URL: "postgres://u@h/db" }).DATABASE_URL).toBe("postgres://u@h/db");
    expect(parseEnv({ DATABASE_URL: "postgresql://h:5432/db" }).DATABASE_URL).toBe("postgresql://h:5432/db");
  });

  it("config: a non-postgres DATABASE_URL throws a one-line ConfigError naming DATABASE_URL", () => {
    for (const url of ["mysql://h/db", "http://h", "h:5432/db", "POSTGRES://h/db"]) {
      const err = configError({ DATABASE_URL: url });
      expect(err.message, url).toBe("invalid setting DATABASE_URL: must be a postgresql:// URL");
    }
  });

  it("config: the error is a ConfigError and also an Error", () => {
    const err = configError({ PORT: "nope" });
    expect(err).toBeInstanceOf(Error);
    expect(err.message.split("\n")).toHaveLength(1);
  });

  it("config: other malformed settings name themselves", () => {
    expect(configError({ NEXTAUTH_SECRET: "short" }).message).toBe(
      "invalid setting NEXTAUTH_SECRET: must be at least 32 characters",
    );
    expect(configError({ SMTP_URL: "http://mail" }).message).toBe(
      "invalid setting SMTP_URL: must be an smtp:// or smtps:// URL",
    );
    expect(configError({ NEXTAUTH_URL: "not a url" }).message).toMatch(/^invalid setting NEXTAUTH_URL: /);
    expect(configError({ AUTH_THROTTLE_MAX_FAILURES: "0" }).message).toMatch(
      /^invalid setting AUTH_THROTTLE_MAX_FAILURES: /,
    );
    expect(configError({ APP_ENV: "staging" }).message).toMatch(/^invalid setting APP_ENV: /);
  });

  it("config: a complete production environment parses", () => {
    const env = parseEnv(PROD);
    expect(env.APP_ENV).toBe("production");
    expect(env.DATABASE_URL).toBe(PROD.DATABASE_URL);
    expect(env.NEXTAUTH_URL).toBe(PROD.NEXTAUTH_URL);
    expect(env.NEXTAUTH_SECRET).toBe(PROD.NEXTAUTH_SECRET);
    expect(env.SMTP_URL).toBe(PROD.SMTP_URL);
  });

  for (const key of ["DATABASE_URL", "NEXTAUTH_URL", "NEXTAUTH_SECRET", "SMTP_URL", "GATEWAY_SECRET"] as const) {
    it(`config: APP_ENV=production without ${key} throws a ConfigError naming ${key}`, () => {
      const expected = `invalid setting ${key}: is required when APP_ENV=production`;
      expect(configError({ ...PROD, [key]: undefined }).message).toBe(expected);
      // An empty string is the same as unset.
      expect(configError({ ...PROD, [key]: "" }).message).toBe(expected);
    });
  }

  it("config: APP_ENV=production with nothing else names DATABASE_URL first", () => {
    expect(configError({ APP_ENV: "production" }).message).toBe(
      "invalid setting DATABASE_URL: is required when APP_ENV=production",
    );
  });

  it("config: outside production the four production settings are optional", () => {
    expect(parseEnv({ APP_ENV: "test" }).APP_ENV).toBe("test");
    expect(parseEnv({ APP_ENV: "development" }).DATABASE_URL).toBeUndefined();
  });

  it("config: unknown variables are ignored and not copied into the result", () => {
    const env = parseEnv({ HOME: "/root", PATH: "/bin" }) as Record<string, unknown>;
    expect(env.HOME).toBeUndefined();
    expect(env.PATH).toBeUndefined();
  });
});

describe("settings: ports", () => {
  it("settings: a port must be a plain decimal number; hex, exponent and padded values stop start-up naming the variable", () => {
    for (const bad of ["0x10", "1e3", " 80 ", "80.5", "0", "65536"]) {
      expect(() => parseEnv({ PORT: bad })).toThrow(/^invalid setting PORT: /);
    }
    expect(() => parseEnv({ EMBEDDED_PG_PORT: "abc" })).toThrow(/^invalid setting EMBEDDED_PG_PORT: /);
    expect(parseEnv({ PORT: "8080" }).PORT).toBe(8080);
  });
});
