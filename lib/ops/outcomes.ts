import type { StreamedAnswer } from "../http/streamed-answer";
import type { Db } from "../db";

/**
 * How the gateway's model calls ended, tallied in memory and added to
 * gateway_outcome_days in one statement every few seconds, so that no call
 * waits on a write of ours (the decision path stays one round trip) and the
 * counts of every process (web app, decision servers) meet in the database,
 * where the dashboard and /metrics read them. A crash loses at most one
 * interval's tallies: these are operator statistics, not money.
 */
export type OutcomeTally = {
  /** One call ended with `code` ("ok", or the refusal's wire code such as "1308"). */
  count(code: string): void;
  /** Adds what was tallied to the day `now` falls on (UTC) and starts again; returns how many calls it wrote. */
  flush(): Promise<number>;
  stop(): Promise<void>;
};

const FLUSH_MS = 5_000;

export function outcomeTally(database: () => Db, now: () => Promise<Date>, flushMs = FLUSH_MS): OutcomeTally {
  let pending = new Map<string, number>();
  let timer: ReturnType<typeof setInterval> | undefined;
  const flush = async () => {
    if (pending.size === 0) return 0;
    const batch = pending;
    pending = new Map();
    const codes = [...batch.keys()];
    const calls = codes.map((c) => batch.get(c)!);
    const day = (await now()).toISOString().slice(0, 10);
    try {
      await database().$executeRaw`
        INSERT INTO gateway_outcome_days (day, code, calls)
        SELECT ${day}::date, c, n FROM unnest(${codes}::text[], ${calls}::bigint[]) AS t(c, n)
        ON CONFLICT (day, code) DO UPDATE SET calls = gateway_outcome_days.calls + EXCLUDED.calls`;
    } catch (e) {
      // Put the tallies back for the next try (Postgres restarting, REL-3) rather than lose them.
      for (const [c, n] of batch) pending.set(c, (pending.get(c) ?? 0) + n);
      throw e;
    }
    return calls.reduce((a, b) => a + b, 0);
  };
  return {
    count(code) {
      pending.set(code, (pending.get(code) ?? 0) + 1);
      if (!timer) {
        timer = setInterval(
          () => void flush().catch((e) => console.error("ops: outcome tally not written", e)),
          flushMs,
        );
        timer.unref();
      }
    },
    flush,
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await flush().catch(() => {});
    },
  };
}

/**
 * The outcome of a model call's answer: "ok" for a 2xx, else the code in the
 * error body of either wire (OpenAI `error.code`, Anthropic `error.type`,
 * which carries the provider's code for our refusals), else the status.
 * Reads only error bodies, which are small JSON; answers pass untouched.
 */
export async function outcomeOf(response: Response): Promise<string> {
  if (response.status >= 200 && response.status < 300) return "ok";
  try {
    const body = (await response.clone().json()) as { error?: { code?: unknown; type?: unknown } };
    const code = body.error?.code ?? body.error?.type;
    if (typeof code === "string" && /^[A-Za-z0-9_]{1,40}$/.test(code)) return code;
  } catch {
    // Not JSON: the status says enough.
  }
  return String(response.status);
}

/**
 * Wraps a model route's handler so each answer is tallied by outcome. The
 * decision server's streamed answers (StreamedAnswer, written straight to the
 * socket) are successes by their status: only error bodies are read.
 */
export function countedRoute<A extends Response | StreamedAnswer>(
  tally: () => OutcomeTally,
  handler: (req: Request) => Promise<A>,
) {
  return async (req: Request): Promise<A> => {
    const answer = await handler(req);
    tally().count(
      answer instanceof Response
        ? await outcomeOf(answer)
        : answer.status >= 200 && answer.status < 300
          ? "ok"
          : String(answer.status),
    );
    return answer;
  };
}
