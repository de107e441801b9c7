
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
