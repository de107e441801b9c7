import { Temporal } from "temporal-polyfill";
import { authorize, type QuotaContext, type Windows } from "./consume";
import { usageHistory } from "./history";
import { refusalMessage, type Lang, type Refusal } from "./refusals";
import { windowOutlook, type RunOuts } from "./outlook";
import { quotaStatus } from "./status";
import type { KeySubject, PlanSubject } from "./subjects";
import type { WindowState } from "./windows";

/**
 * The provider-compatible read-outs of COMPAT.md, which third-party status
 * lines and usage meters parse. Refusals answer HTTP 200 with
 * `success: false` (those clients treat any other status as an outage), and
 * every number is an integer.
 */

export type Envelope = { code: number; msg: string; success: boolean; data?: unknown };

const OK: Record<Lang, string> = { en: "Operation successful", zh: "操作成功" };

function ok(lang: Lang, data: unknown): Envelope {
  return { code: 200, msg: OK[lang], success: true, data };
}

function refused(code: number, refusal: Refusal, lang: Lang): Envelope {
  return { code, msg: refusalMessage(refusal, lang), success: false };
}

/** `Authorization: <key>` and `Authorization: Bearer <key>` are both in use. */
export function keyFromAuthorization(header: string | null): string | null {
  if (header === null) return null;
  const value = header
    .trim()
    .replace(/^Bearer\s+/i, "")
    .trim();
  return value;
}

type Who = { plan: PlanSubject; key: KeySubject } | { envelope: Envelope };

/**
 * The caller's active plan, or the refusal envelope (1001 no header, 401 bad
 * or expired key, 1309 no active plan or a key not for coding, QUOTA-9).
 */
async function who(ctx: QuotaContext, authorization: string | null, lang: Lang, now: Date): Promise<Who> {
  const key = keyFromAuthorization(authorization);
  if (key === null) return { envelope: refused(1001, { code: "missing_key" }, lang) };
  const r = await authorize(ctx, key, now);
  if (!("refusal" in r)) return { plan: r.plan, key: r.key };
  if (r.refusal.code === "invalid_key" || r.refusal.code === "missing_key")
    return { envelope: refused(401, { code: "invalid_key" }, lang) };
  if (r.refusal.code === "key_expired") return { envelope: refused(401, r.refusal, lang) };
  if (r.refusal.code === "key_not_for_coding") return { envelope: refused(1309, r.refusal, lang) };
  // Expired, suspended or overdue plans read as "no coding plan", as the provider answers.
  return { envelope: refused(1309, { code: "no_plan" }, lang) };
}

type LimitItem = {
  type: "TOKENS_LIMIT" | "TIME_LIMIT";
  unit: number;
  number: number;
  usage: number;
  currentValue: number;
  remaining: number;
  percentage: number;
  nextResetTime?: number;
  /** ALERT-2: when the window runs out at the recent pace (epoch ms); left out when it does not before it resets. Existing clients ignore it. */
  runOutTime?: number;
  usageDetails?: { modelCode: string; usage: number }[];
};

function item(type: LimitItem["type"], unit: number, number: number, w: WindowState): LimitItem {
  const out: LimitItem = {
    type,
    unit,
    number,
    usage: w.limit,
    currentValue: w.used,
    remaining: w.remaining,
    percentage: w.percentage,
  };
  // Left out, not null, when nothing in the window is used.
  if (w.resetAt) out.nextResetTime = w.resetAt.getTime();
  return out;
}

function withRunOut(i: LimitItem, at: number | null): LimitItem {
  if (at !== null) i.runOutTime = at;
  return i;
}

const NO_RUN_OUTS: RunOuts = { fiveHour: null, weekly: null, monthly: null };

/** `data.limits` in COMPAT order: 5-hour (3/5), weekly (6/1, absent without a weekly cap), monthly MCP (5/1). */
export function limitItems(
  w: Windows,
  tools: { webSearch: number; webReader: number },
  runOuts: RunOuts = NO_RUN_OUTS,
): LimitItem[] {
  const items = [withRunOut(item("TOKENS_LIMIT", 3, 5, w.fiveHour), runOuts.fiveHour)];
  if (w.weekly) items.push(withRunOut(item("TOKENS_LIMIT", 6, 1, w.weekly), runOuts.weekly));
  items.push({
    ...withRunOut(item("TIME_LIMIT", 5, 1, w.monthly), runOuts.monthly),
    usageDetails: [
      { modelCode: "search-prime", usage: tools.webSearch },
      { modelCode: "web-reader", usage: tools.webReader },
    ],
  });
  return items;
}

/** GET /api/monitor/usage/quota/limit */
export async function quotaLimitReadout(
  ctx: QuotaContext,
  authorization: string | null,
  lang: Lang,
  now: Date,
): Promise<Envelope> {
  const w = await who(ctx, authorization, lang, now);
  if ("envelope" in w) return w.envelope;
  const status = await quotaStatus(ctx, w.plan, now);
  // KEY-1: answered to a key, the key's own limits where they are tighter; ALERT-2: each window's run-out time.
  const outlook = await windowOutlook(ctx, w.plan, status, now, w.key.keyId);
  return ok(lang, { level: w.plan.tier, limits: limitItems(outlook.windows, status.toolCounts, outlook.runOuts) });
}

const PRODUCT_NAMES = { lite: "GLM Coding Lite", pro: "GLM Coding Pro", max: "GLM Coding Max" } as const;

/** GET /api/biz/subscription/list: the active plan, or an empty list. */
export async function subscriptionListReadout(
  ctx: QuotaContext,
  authorization: string | null,
  lang: Lang,
): Promise<Envelope> {
  const key = keyFromAuthorization(authorization);
  if (key === null) return refused(1001, { code: "missing_key" }, lang);
  const r = await authorize(ctx, key);
  if ("refusal" in r && (r.refusal.code === "invalid_key" || !r.key))
    return refused(401, { code: "invalid_key" }, lang);
  const plan = "refusal" in r ? null : r.plan;
  return ok(
    lang,
    plan
      ? [
          {
            productName: PRODUCT_NAMES[plan.tier],
            level: plan.tier,
            status: "ACTIVE",
            billingCycle: plan.cycle,
            autoRenew: plan.autoRenew,
            nextRenewTime: plan.periodEnd.getTime(),
          },
        ]
      : [],
  );
}

const UTC8 = "Asia/Shanghai";
const MAX_RANGE_DAYS = 31;
const TIME_RE = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/** `yyyy-MM-dd HH:mm:ss` in UTC+8 → an instant, or null when it is not a real time. */
export function parseUtc8(text: string | null): Date | null {
  const m = text ? TIME_RE.exec(text.trim()) : null;
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number);
  try {
    const z = Temporal.PlainDateTime.from(
      { year: y, month: mo, day: d, hour: h, minute: mi, second: s },
      { overflow: "reject" },
    ).toZonedDateTime(UTC8);
    return new Date(z.epochMilliseconds);
  } catch {
    return null;
  }
}

function label(at: Date): string {
  const t = Temporal.Instant.fromEpochMilliseconds(at.getTime()).toZonedDateTimeISO(UTC8);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${t.year}-${p(t.month)}-${p(t.day)} ${p(t.hour)}:${p(t.minute)}`;
}

type Range = { from: Date; to: Date } | { envelope: Envelope };

function rangeOf(start: string | null, end: string | null, lang: Lang): Range {
  const from = parseUtc8(start);
  if (!from)
    return {
      envelope: {
        code: 400,
        msg: refusalMessage({ code: "bad_request", field: "startTime (yyyy-MM-dd HH:mm:ss)" }, lang),
        success: false,
      },
    };
  const to = parseUtc8(end);
  if (!to)
    return {
      envelope: {
        code: 400,
        msg: refusalMessage({ code: "bad_request", field: "endTime (yyyy-MM-dd HH:mm:ss)" }, lang),
        success: false,
      },
    };
  if (to.getTime() <= from.getTime() || to.getTime() - from.getTime() > MAX_RANGE_DAYS * 86_400_000) {
    return {
      envelope: {
        code: 400,
        msg: refusalMessage(
          { code: "bad_request", field: `endTime (after startTime, at most ${MAX_RANGE_DAYS} days)` },
          lang,
        ),
        success: false,
      },
    };
  }
  // Hourly buckets start on the hour: the range is widened to whole hours.
  const hour = 3600_000;
  return {
    from: new Date(Math.floor(from.getTime() / hour) * hour),
    to: new Date(Math.ceil(to.getTime() / hour) * hour),
  };
}

/** GET /api/monitor/usage/model-usage and /tool-usage: hourly buckets in UTC+8. */
export async function usageReadout(
  ctx: QuotaContext,
  what: "model" | "tool",
  authorization: string | null,
  lang: Lang,
  startTime: string | null,
  endTime: string | null,
  now: Date,
): Promise<Envelope> {
  const w = await who(ctx, authorization, lang, now);
  if ("envelope" in w) return w.envelope;
  const range = rangeOf(startTime, endTime, lang);
  if ("envelope" in range) return range.envelope;
  const h = await usageHistory(ctx, w.plan.subscriptionId, range.from, range.to, "hour", UTC8);
  const x_time = h.starts.map(label);
  if (what === "model") {
    return ok(lang, {
      x_time,
      modelDataList: h.models.map((m) => ({ modelName: m.model, tokensUsage: m.tokens })),
      totalUsage: h.totalTokens,
    });
  }
  return ok(lang, { x_time, toolDataList: h.tools.map((t) => ({ toolName: t.tool, usage: t.counts })) });
}
