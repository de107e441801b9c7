import en from "./messages/en.json";
import zhCN from "./messages/zh-CN.json";
import type { Locale } from "./config";

export type Messages = typeof en;
const all: Record<Locale, Messages> = { en, "zh-CN": zhCN };

export function messagesFor(locale: Locale): Messages {
  return all[locale];
}
