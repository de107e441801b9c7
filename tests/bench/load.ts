import { spawnSync } from "node:child_process";
import autocannon from "autocannon";

export type Load = { answered: number; p50: number; p99: number; failed: number };

/** wrk (C, Debian's package) when installed: it leaves the two cores to the server and Postgres; autocannon (npm) costs a fifth of a core or so. */
export const useWrk = !spawnSync("wrk", ["--version"]).error;

/**
 * Keeps `connections` keep-alive connections posting to `url` for `seconds`:
 * with wrk and its Lua script (which reads what it needs from `env`), or with
 * autocannon and `request` for each request's headers and body.
 */
export async function postLoad(input: {
  url: string;
  connections: number;
  seconds: number;
  headers?: Record<string, string>;
  wrkScript: string;
  env?: Record<string, string>;
  request: () => { headers?: Record<string, string>; body: string };
}): Promise<Load> {
  if (!useWrk) {
    const r = await autocannon({
      url: input.url,
      connections: input.connections,
      duration: input.seconds,
      method: "POST",
      headers: input.headers,
      requests: [
        {
          setupRequest: (req) => {
            const next = input.request();
            return { ...req, body: next.body, headers: { ...req.headers, ...next.headers } };
          },
        },
      ],
    });
    return {
      answered: r.requests.total,
      p50: r.latency.p50,
      p99: r.latency.p99,
      failed: r.non2xx + r.errors + r.timeouts,
    };
  }
  const out = spawnSync(
    "wrk",
    [
      "-t2",
      `-c${input.connections}`,
      `-d${input.seconds}s`,
      "--latency",
      "-s",
      input.wrkScript,
      ...Object.entries(input.headers ?? {}).flatMap(([k, v]) => ["-H", `${k}: ${v}`]),
      input.url,
    ],
    { env: { ...process.env, ...input.env }, encoding: "utf8" },
  ).stdout;
  const ms = (label: string) => {
    const m = new RegExp(`${label}%\\s+([\\d.]+)(us|ms|s)`).exec(out);
    if (!m) throw new Error(`wrk printed no ${label}th percentile:\n${out}`);
    return Number(m[1]) * { us: 0.001, ms: 1, s: 1000 }[m[2] as "us" | "ms" | "s"];
  };
  const failed =
    Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0) +
    Number(/Socket errors: .*?(\d+)/.exec(out)?.[1] ?? 0);
  return { answered: Number(/(\d+) requests in/.exec(out)?.[1]), p50: ms("50"), p99: ms("99"), failed };
}
