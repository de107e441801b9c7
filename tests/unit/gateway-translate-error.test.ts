import { describe, expect, it } from "vitest";
import { translateError } from "@/lib/gateway/translate";

describe("GATE-1 model-server errors in the client's wire", () => {
  it("GATE-1: an Anthropic error reaches an OpenAI client with its message and a mapped type", () => {
    const body = {
      type: "error",
      error: { type: "rate_limit_error", message: "Number of request tokens has exceeded your per-minute rate limit" },
      request_id: "req_011CSHoEeqs5C35K2UUqR7Fy",
    };
    expect(translateError("anthropic", "openai", 429, body)).toEqual({
      error: {
        message: "Number of request tokens has exceeded your per-minute rate limit",
        type: "rate_limit_error",
        code: "rate_limit_exceeded",
      },
    });
    expect(
      translateError("anthropic", "openai", 529, {
        type: "error",
        error: { type: "overloaded_error", message: "Overloaded" },
      }),
    ).toEqual({ error: { message: "Overloaded", type: "server_error", code: null } });
    expect(
      translateError(
        "anthropic",
        "openai",
        400,
        JSON.stringify({
          type: "error",
          error: { type: "invalid_request_error", message: "max_tokens: Field required" },
        }),
      ),
    ).toEqual({
      error: { message: "max_tokens: Field required", type: "invalid_request_error", code: null },
    });
  });

  it("GATE-1: an OpenAI error reaches an Anthropic client with its message and a mapped type", () => {
    expect(
      translateError("openai", "anthropic", 429, {
        error: {
          message: "You exceeded your current quota",
          type: "insufficient_quota",
          param: null,
          code: "insufficient_quota",
        },
      }),
    ).toEqual({
      type: "error",
      error: { type: "billing_error", message: "You exceeded your current quota" },
    });
    expect(
      translateError("openai", "anthropic", 400, {
        error: {
          message: "This model's maximum context length is 128000 tokens.",
          type: "invalid_request_error",
          code: "context_length_exceeded",
        },
      }),
    ).toEqual({
      type: "error",
      error: { type: "invalid_request_error", message: "This model's maximum context length is 128000 tokens." },
    });
    expect(
      translateError("openai", "anthropic", 401, {
        error: { message: "Incorrect API key provided", code: "invalid_api_key" },
      }).error,
    ).toEqual({ type: "authentication_error", message: "Incorrect API key provided" });
  });

  it("GATE-1: a provider's numeric code moves between OpenAI's code and Anthropic's error.type (COMPAT.md)", () => {
    const msg = "Usage limit reached for 5 hour. Your limit will reset at 2026-09-09 05:38:28";
    expect(translateError("openai", "anthropic", 429, { error: { code: "1308", message: msg } })).toEqual({
      type: "error",
      error: { type: "1308", message: msg },
    });
    expect(
      translateError("anthropic", "openai", 429, { type: "error", error: { type: "1308", message: msg } }),
    ).toEqual({ error: { message: msg, type: "rate_limit_error", code: "1308" } });
  });

  it("GATE-1: a body in neither shape falls back to a generic message and a type from the status", () => {
    expect(translateError("openai", "anthropic", 502, "<html><body>502 Bad Gateway</body></html>")).toEqual({
      type: "error",
      error: { type: "api_error", message: "Model server error (HTTP 502)" },
    });
    expect(translateError("anthropic", "openai", 503, undefined)).toEqual({
      error: { message: "Model server error (HTTP 503)", type: "server_error", code: null },
    });
    expect(translateError("openai", "anthropic", 404, { detail: "Not Found" })).toEqual({
      type: "error",
      error: { type: "not_found_error", message: "Not Found" },
    });
    expect(translateError("openai", "anthropic", 422, { error: "messages must not be empty" }).error).toEqual({
      type: "invalid_request_error",
      message: "messages must not be empty",
    });
    expect(translateError("anthropic", "openai", 0, { error: { type: "constructor" } })).toEqual({
      error: { message: "Model server error", type: "server_error", code: null },
    });
  });

  it("GATE-1: the same wire keeps the upstream's own type and code", () => {
    expect(
      translateError("anthropic", "anthropic", 529, {
        type: "error",
        error: { type: "overloaded_error", message: "Overloaded" },
      }),
    ).toEqual({ type: "error", error: { type: "overloaded_error", message: "Overloaded" } });
    expect(
      translateError("openai", "openai", 429, {
        error: { message: "slow down", type: "requests", code: "rate_limit_exceeded" },
      }),
    ).toEqual({ error: { message: "slow down", type: "requests", code: "rate_limit_exceeded" } });
  });
});
