import { Temporal } from "temporal-polyfill";
import type { SubscriptionStatus, Tier } from "../db";

/** Why the decision path said no, before it is put into any wire shape. */
export type Refusal =
  | { code: "missing_key" }
  | { code: "invalid_key" }
  | { code: "no_plan" }
  | { code: "plan_inactive"; status: SubscriptionStatus }
  | { code: "unknown_model"; model: string }
  | { code: "model_not_in_tier"; model: string; tiers: Tier[] }
  // KEY-1: `byKey` when the key's own limit, not the plan's, is used up (same code, the key's reset time).
  | { code: "five_hour"; resetAt: Date; byKey?: boolean }
  | { code: "weekly"; resetAt: Date; byKey?: boolean }
  // KEY-1: refused like a revoked key, saying why.
  | { code: "key_expired"; expiredAt: Date }
  // QUOTA-9: a key made for pay-as-you-go use asked to spend plan quota.
  | { code: "key_not_for_coding" }
  // KEY-1: the key's own pay-as-you-go spend per day is reached.
  | { code: "key_daily_cap"; resetAt: Date }
  | { code: "monthly"; resetAt: Date }
  | { code: "concurrency" }
  | { code: "bad_request"; field: string }
  // BILL-3: the pay-as-you-go balance (packs, cash and bonus) cannot cover the call.
  | { code: "insufficient_balance" }
  // POLICY-2: the account is banned after its third usage-policy violation.
  | { code: "banned" };

export type Lang = "en" | "zh";

/** COMPAT.md: Chinese for any `zh*` Accept-Language, English otherwise. */
export function langOf(acceptLanguage: string | null | undefined): Lang {
  return /^\s*zh/i.test(acceptLanguage ?? "") ? "zh" : "en";
}

/** The provider's numeric code (a string on the wire) and HTTP status of each refusal (COMPAT.md). */
export function wireCode(r: Refusal): { code: string; status: number } {
  switch (r.code) {
    case "missing_key":
      return { code: "1001", status: 401 };
    case "invalid_key":
    case "key_expired":
      return { code: "401", status: 401 };
    case "key_not_for_coding":
      return { code: "1309", status: 403 };
    case "key_daily_cap":
      return { code: "1113", status: 429 };
    case "no_plan":
    case "plan_inactive":
    case "banned":
      return { code: "1309", status: 403 };
    case "insufficient_balance":
      return { code: "1113", status: 429 };
    case "unknown_model":
      return { code: "1211", status: 400 };
    case "model_not_in_tier":
      return { code: "1311", status: 400 };
    case "five_hour":
      return { code: "1308", status: 429 };
    case "weekly":
    case "monthly":
      return { code: "1310", status: 429 };
    case "concurrency":
      return { code: "1302", status: 429 };
    case "bad_request":
      return { code: "1210", status: 400 };
  }
}

/** Reset times are shown as `YYYY-MM-DD HH:mm:ss` in UTC+8, with no zone suffix (COMPAT.md). */
export function resetTimeText(at: Date): string {
  // Rounded up to the second: a client that waits until the time shown must find the quota back.
  const t = Temporal.Instant.fromEpochMilliseconds(Math.ceil(at.getTime() / 1000) * 1000).toZonedDateTimeISO(
    "Asia/Shanghai",
  );
  const p = (n: number) => String(n).padStart(2, "0");
  return `${t.year}-${p(t.month)}-${p(t.day)} ${p(t.hour)}:${p(t.minute)}:${p(t.second)}`;
}

/** KEY-1: the same code and wording as the plan's refusal, with a note that the key's own limit is what ran out. */
function byKeyNote(byKey: boolean | undefined, zh: boolean): string {
  if (!byKey) return "";
  return zh ? "（此 API 密钥自身的限额）" : " (this API key's own limit)";
}

const TIER_NAMES: Record<Tier, string> = { lite: "Lite", pro: "Pro", max: "Max" };

/**
 * The message a coding tool shows as `[code][message]`, so it must stand on its
 * own. Only the key and concurrency refusals may use the words clients read as
 * an auth or rate problem ("token", "auth", "rate limit"); the others avoid them.
 */
export function refusalMessage(r: Refusal, lang: Lang): string {
  const zh = lang === "zh";
  switch (r.code) {
    case "missing_key":
      return zh ? "缺少 Authorization 令牌" : "Authorization Token Missing";
    case "invalid_key":
      return zh ? "令牌已过期或验证不正确" : "token expired or incorrect";
    case "no_plan":
      return zh ? "当前用户不存在coding plan" : "The current user has no coding plan";
    case "plan_inactive":
      if (r.status === "suspended") {
        return zh
          ? "您的 coding plan 因支付争议已暂停。"
          : "Your coding plan is suspended while a payment dispute is open.";
      }
      if (r.status === "past_due") {
        return zh
          ? "您的 coding plan 续费未成功，已暂停使用。支付待付账单后即可恢复。"
          : "Your coding plan is paused because its renewal payment failed. Pay the open invoice to continue.";
      }
      return zh
        ? "您的 coding plan 已过期，续订后即可继续使用。"
        : "Your coding plan has expired. Subscribe again to continue.";
    case "unknown_model":
      return zh ? `未知模型：${r.model}` : `Unknown model: ${r.model}`;
    case "model_not_in_tier": {
      const tiers = r.tiers.map((t) => TIER_NAMES[t]).join(zh ? "、" : ", ");
      return zh
        ? `您的套餐不包含模型 ${r.model}，该模型仅适用于 ${tiers} 套餐。`
        : `Model ${r.model} is not included in your plan. It is available on the ${tiers} plans.`;
    }
    case "five_hour":
      return (
        (zh
          ? `已达到 5 小时的使用上限。您的限额将在 ${resetTimeText(r.resetAt)} 重置。`
          : `Usage limit reached for 5 hour. Your limit will reset at ${resetTimeText(r.resetAt)}`) +
        byKeyNote(r.byKey, zh)
      );
    case "weekly":
    case "monthly":
      return (
        (zh
          ? `已达到每周/每月使用上限。您的限额将在 ${resetTimeText(r.resetAt)} 重置。`
          : `Weekly/Monthly Limit Exhausted. Your limit will reset at ${resetTimeText(r.resetAt)}`) +
        byKeyNote(r.code === "weekly" && r.byKey, zh)
      );
    case "key_expired":
      return zh
        ? `令牌已过期：此 API 密钥已于 ${resetTimeText(r.expiredAt)} 到期，请在密钥页面创建新密钥。`
        : `token expired: this API key expired at ${resetTimeText(r.expiredAt)}. Create a new key on the keys page.`;
    case "key_not_for_coding":
      return zh
        ? "此 API 密钥仅用于按量付费调用，不能使用 coding plan 额度。请创建用于编程工具的密钥。"
        : "This API key is for pay-as-you-go calls only and cannot spend coding plan quota. Create a key for coding tools.";
    case "key_daily_cap":
      return zh
        ? `此 API 密钥已达到每日按量付费消费上限，将在 ${resetTimeText(r.resetAt)} 重置。`
        : `This API key reached its daily pay-as-you-go spending cap. It resets at ${resetTimeText(r.resetAt)}`;
    case "concurrency":
      return zh ? "请求频率已达上限" : "Rate limit reached for requests";
    case "bad_request":
      return zh ? `参数有误：${r.field}` : `Invalid parameter: ${r.field}`;
    case "insufficient_balance":
      return zh ? "余额不足或无可用资源包，请充值。" : "Insufficient balance or no resource package. Please recharge.";
    case "banned":
      return zh
        ? "您的账户因多次违反使用政策已被封禁。如有异议，请回复我们发给您的邮件申请复核。"
        : "Your account is banned after repeated usage-policy violations. Reply to the e-mail we sent you to ask for a review.";
  }
}
