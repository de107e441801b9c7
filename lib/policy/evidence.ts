/**
 * A violation's evidence read back from its JSON column into the shape its
 * rule wrote (lib/policy/rules). Pure and defensive: a row written by an older
 * rule, or by hand, reads as "other" rather than breaking a screen.
 */
export type ReadEvidence =
  | { rule: "not_coding"; calls: number; offPattern: number; shareBps: number; thresholdBps: number; clients: string[] }
  | { rule: "key_sharing"; keyId: string; networks: string[]; windowMinutes: number; max: number; at: Date | null }
  | {
      rule: "key_clients";
      keyId: string;
      clients: number;
      names: string[];
      windowMinutes: number;
      max: number;
      at: Date | null;
    }
  | { rule: "key_devices"; keyId: string; devices: number; windowMinutes: number; max: number; at: Date | null }
  | {
      rule: "subscription_sharing";
      signal: "networks" | "clients" | "devices";
      count: number;
      keys: number;
      keyIds: string[];
      windowMinutes: number;
      max: number;
      at: Date | null;
    }
  | { rule: "other"; values: [string, string][] };

type Json = Record<string, unknown>;

const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : 0);
const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
function date(v: unknown) {
  const d = typeof v === "string" ? new Date(v) : null;
  return d && !Number.isNaN(d.getTime()) ? d : null;
}

export function readEvidence(rule: string, evidence: unknown): ReadEvidence {
  const e: Json =
    typeof evidence === "object" && evidence !== null && !Array.isArray(evidence) ? (evidence as Json) : {};
  if (rule === "not_coding" && "calls" in e)
    return {
      rule,
      calls: num(e.calls),
      offPattern: num(e.offPattern),
      shareBps: num(e.shareBps),
      thresholdBps: num(e.thresholdBps),
      clients: strings(e.clients),
    };
  if (rule === "key_sharing" && "networks" in e)
    return {
      rule,
      keyId: typeof e.keyId === "string" ? e.keyId : "",
      networks: strings(e.networks),
      windowMinutes: num(e.windowMinutes),
      max: num(e.max),
      at: date(e.at),
    };
  const keyId = typeof e.keyId === "string" ? e.keyId : "";
  if (rule === "key_clients" && "clients" in e)
    return {
      rule,
      keyId,
      clients: num(e.clients),
      names: strings(e.names),
      windowMinutes: num(e.windowMinutes),
      max: num(e.max),
      at: date(e.at),
    };
  if (rule === "key_devices" && "devices" in e)
    return {
      rule,
      keyId,
      devices: num(e.devices),
      windowMinutes: num(e.windowMinutes),
      max: num(e.max),
      at: date(e.at),
    };
  if (rule === "subscription_sharing" && (e.signal === "networks" || e.signal === "clients" || e.signal === "devices"))
    return {
      rule,
      signal: e.signal,
      count: num(e.count),
      keys: num(e.keys),
      keyIds: strings(e.keyIds),
      windowMinutes: num(e.windowMinutes),
      max: num(e.max),
      at: date(e.at),
    };
  const values = Object.entries(e)
    .filter(([, v]) => ["string", "number", "boolean"].includes(typeof v))
    .map(([k, v]): [string, string] => [k, String(v)]);
  return { rule: "other", values };
}
