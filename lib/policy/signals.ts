import { clientIp } from "../http/client-ip";
import { networkOf } from "../referrals/device";

/** What a call's caller looked like, for the usage-policy rules (POLICY-1, POLICY-3). */
export type CallerSignals = { client: string; network: string; agentShaped: boolean };

/**
 * The client's own name for itself: the User-Agent's first product token,
 * lower-cased ("claude-cli/1.0.80 (external, cli)" → "claude-cli"), or ""
 * when it sent none.
 */
export function clientNameOf(userAgent: string | null | undefined): string {
  const first = (userAgent ?? "").trim().split(/\s+/)[0] ?? "";
  return first.split("/")[0].toLowerCase().slice(0, 60);
}

/**
 * Signals from a model request: who it says it is, from which network, and
 * whether it is shaped like a coding agent's request (coding agents always
 * send tool definitions or a system prompt; a chat widget or a batch script
 * usually sends neither).
 */
export function signalsOf(headers: Headers, body: { tools?: unknown }, systemText: string): CallerSignals {
  const tools = Array.isArray(body.tools) && body.tools.length > 0;
  return { client: clientNameOf(headers.get("user-agent")), network: networkOf(clientIp(headers)), agentShaped: tools || systemText.trim() !== "" };
}
