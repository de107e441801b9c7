/**
 * How the run's clients talk to CodePlan and what they were told. A client
 * whose request failed on the wire (the process died, the database was down)
 * tries again with the same request id, as a browser's second click or an
 * SDK's retry would; what it was finally told is recorded.
 */
export type Told = { status: number; body: Record<string, unknown> } | { error: string };

export async function post(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
  timeoutMs = 20_000,
): Promise<Told> {
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let parsed: Record<string, unknown> = {};
    try {
      parsed = text.startsWith("data:") ? { stream: text } : (JSON.parse(text) as Record<string, unknown>);
    } catch {
      parsed = { text: text.slice(0, 200) };
    }
    return { status: res.status, body: parsed };
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause?.code;
    return { error: cause ?? (e instanceof Error ? e.name : "error") };
  }
}

/** Retries while the answer says nothing happened for sure (no answer, or 5xx), up to `tries`. */
export async function postRetrying(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
  tries = 6,
): Promise<Told & { tries: number }> {
  let told: Told = { error: "none" };
  for (let i = 1; i <= tries; i++) {
    told = await post(url, body, headers);
    if (!("error" in told) && told.status < 500) return { ...told, tries: i };
    await new Promise((r) => setTimeout(r, 300 * i));
  }
  return { ...told, tries };
}

/** The outcome as the table shows it: what a person or an SDK would have seen. */
export function outcomeOf(told: Told): string {
  if ("error" in told) return `no answer (${told.error})`;
  const b = told.body;
  if (told.status === 200 && typeof b.status === "string")
    return b.status === "failed" ? `failed: ${String(b.code)}` : b.status;
  if (told.status === 200) return "ok";
  const code = (b.error as { code?: string; type?: string } | string | undefined) ?? "";
  const name = typeof code === "string" ? code : (code.code ?? code.type ?? "");
  return `${told.status}${name ? ` ${name}` : ""}`;
}
