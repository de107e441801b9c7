import { timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { callerSignalsOf } from "../policy/signals";
import { networkOf } from "../referrals/device";
import {
  acquireSlot,
  authorize,
  consume,
  hashKey,
  langOf,
  QUOTA_KINDS,
  refusalMessage,
  releaseSlotByKey,
  reportUsage,
  wireCode,
  type Lang,
  type QuotaContext,
  type Refusal,
  type Windows,
} from "../quota";
import type { WindowState } from "../quota/windows";

/**
 * The decision API the provider's model gateway calls (QUOTA-1..8), without
 * any web framework, so that the Next route and the lean decision server
 * (scripts/decision-server.ts) answer exactly the same. Authenticated by the
 * gateway's shared secret. A decision, allow or deny, is a 200; bad input or
 * a bad secret is a 4xx in COMPAT.md's error shape.
 */

export type ApiAnswer = { status: number; body: unknown };

/** SEC-3: a decision's body is a few hundred bytes; this bound leaves room for 512 tool-call ids and refuses the rest unread. */
export const DECISION_BODY_LIMIT = 64 * 1024;
export type ApiRequest = { op: string; body: unknown; authorization: string | null; acceptLanguage: string | null };
export type DecisionDeps = { ctx: QuotaContext; secret: string; now: () => Promise<Date>; leaseSeconds: number };

const requestId = z.string().trim().min(1).max(200);
const key = z.string().min(1).max(300);
const tokens = z.number().int().min(0).max(100_000_000);
const toolCallIds = z.array(z.string().min(1).max(200)).max(512);

const BODIES = {
  // QUOTA-1: `toolResultIds`, the ids of the tool calls the call's last user turn answers (when it holds only tool results).
  consume: z.object({
    key,
    model: z.string().trim().max(100).default(""),
    kind: z.enum(QUOTA_KINDS).default("prompt"),
    requestId,
    toolResultIds: toolCallIds.optional(),
  }),
  usage: z.object({
    key,
    requestId,
    model: z.string().trim().min(1).max(100),
    tool: z.string().trim().min(1).max(60).nullish(),
    inputTokens: tokens,
    outputTokens: tokens,
    cachedTokens: tokens.default(0),
    cacheWriteTokens: tokens.default(0),
    // QUOTA-1: the tool calls the model returned in this answer; a later call answering them continues this call's prompt.
    toolCallIds: toolCallIds.default([]),
    // Optional caller signals for the usage policy (POLICY-1, POLICY-3): the client's User-Agent, its IP, and whether the request carried tools or a system prompt.
    userAgent: z.string().max(300).nullish(),
    ip: z.union([z.ipv4(), z.ipv6()]).nullish(),
    agentShaped: z.boolean().nullish(),
    // POLICY-3: the client's own id from its request body, as it sent it (Anthropic's metadata.user_id, OpenAI's user). Only its hash is kept.
    clientUserId: z.string().max(300).nullish(),
  }),
  "slots/acquire": z.object({ key, requestId, leaseSeconds: z.number().int().min(5).max(3600).optional() }),
  "slots/release": z.object({ key, requestId }),
} as const;

type Op = keyof typeof BODIES;

function error(status: number, code: string, message: string): ApiAnswer {
  return { status, body: { error: { code, message } } };
}

/** SEC-3: the secret is checked before the body is read; null when it matches. */
export function secretRefusal(deps: Pick<DecisionDeps, "secret">, authorization: string | null): ApiAnswer | null {
  return secretMatches(deps.secret, authorization)
    ? null
    : error(401, "401", "The gateway secret is missing or wrong.");
}

/** A body over DECISION_BODY_LIMIT, in the API's error shape (1210, as for other bad input). */
export function tooLargeAnswer(acceptLanguage: string | null): ApiAnswer {
  return error(413, "1210", langOf(acceptLanguage) === "zh" ? "请求体过大。" : "The request body is too large.");
}

function refusalBody(r: Refusal, lang: Lang) {
  const { code, status } = wireCode(r);
  const body: { code: string; status: number; message: string; resetTime?: number } = {
    code,
    status,
    message: refusalMessage(r, lang),
  };
  if ("resetAt" in r) body.resetTime = r.resetAt.getTime();
  return body;
}

function windowWire(w: WindowState) {
  return {
    limit: w.limit,
    used: w.used,
    remaining: w.remaining,
    percentage: w.percentage,
    ...(w.resetAt ? { resetTime: w.resetAt.getTime() } : {}),
  };
}

function windowsWire(w: Windows | undefined) {
  if (!w) return null;
  return { fiveHour: windowWire(w.fiveHour), weekly: w.weekly && windowWire(w.weekly), monthly: windowWire(w.monthly) };
}

export function secretMatches(expected: string, authorization: string | null): boolean {
  const given = Buffer.from((authorization ?? "").replace(/^Bearer\s+/i, ""));
  const want = Buffer.from(expected);
  return given.length === want.length && timingSafeEqual(given, want);
}

export async function decisionApi(deps: DecisionDeps, req: ApiRequest): Promise<ApiAnswer> {
  const lang = langOf(req.acceptLanguage);
  const refused = secretRefusal(deps, req.authorization);
  if (refused) return refused;
  // Own properties only: `__proto__`, `constructor` or `toString` is an unknown operation, not a crash.
  if (!Object.hasOwn(BODIES, req.op)) return error(404, "404", `No such decision API operation: ${req.op}`);
  const op = req.op as Op;
  const parsed = BODIES[op].safeParse(req.body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return error(400, "1210", refusalMessage({ code: "bad_request", field: issue.path.join(".") || "body" }, lang));
  }
  const { ctx } = deps;
  const now = await deps.now();
  switch (op) {
    case "consume": {
      const input = parsed.data as z.infer<(typeof BODIES)["consume"]>;
      if ((input.kind === "prompt" || input.kind === "vision") && !input.model) {
        return error(400, "1210", refusalMessage({ code: "bad_request", field: "model" }, lang));
      }
      const d = await consume(ctx, input, now);
      if (d.allowed) {
        const body = {
          allowed: true,
          duplicate: d.duplicate,
          cost: d.cost,
          promptId: d.promptId,
          continued: d.promptId !== input.requestId,
          tier: d.plan.tier,
        };
        return { status: 200, body: { ...body, windows: windowsWire(d.windows) } };
      }
      return {
        status: 200,
        body: { allowed: false, refusal: refusalBody(d.refusal, lang), windows: windowsWire(d.windows) },
      };
    }
    case "usage": {
      const input = parsed.data as z.infer<(typeof BODIES)["usage"]>;
      const who = await authorize(ctx, input.key, now);
      if ("refusal" in who) return { status: 200, body: { recorded: false, refusal: refusalBody(who.refusal, lang) } };
      const caller =
        input.userAgent != null || input.ip != null || input.agentShaped != null || input.clientUserId != null
          ? callerSignalsOf({
              userAgent: input.userAgent,
              network: input.ip ? networkOf(input.ip) : "unknown",
              agentShaped: input.agentShaped ?? true,
              identity: input.clientUserId,
            })
          : null;
      const first = await reportUsage(ctx, who, { ...input, caller }, now);
      return { status: 200, body: { recorded: true, duplicate: !first } };
    }
    case "slots/acquire": {
      const input = parsed.data as z.infer<(typeof BODIES)["slots/acquire"]>;
      const who = await authorize(ctx, input.key, now);
      if ("refusal" in who) return { status: 200, body: { acquired: false, refusal: refusalBody(who.refusal, lang) } };
      const lease = input.leaseSeconds ?? deps.leaseSeconds;
      const slot = await acquireSlot(ctx, who, input.requestId, now, lease);
      if (!slot.acquired)
        return {
          status: 200,
          body: {
            acquired: false,
            held: slot.held,
            limit: slot.limit,
            refusal: refusalBody({ code: "concurrency" }, lang),
          },
        };
      return {
        status: 200,
        body: {
          acquired: true,
          renewed: slot.renewed,
          held: slot.held,
          limit: slot.limit,
          leaseUntil: now.getTime() + lease * 1000,
        },
      };
    }
    case "slots/release": {
      const input = parsed.data as z.infer<(typeof BODIES)["slots/release"]>;
      // By the key that took it, revoked or not: the call is over either way (releaseSlotByKey).
      return { status: 200, body: { released: await releaseSlotByKey(ctx, hashKey(input.key), input.requestId) } };
    }
  }
}
