import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/**
 * `npm start` as production runs it (scripts/start.ts under node, its
 * processes supervised), for the REL tests. Its output is kept, so a test can
 * wait for a line and show the log when it fails.
 */
export type Codeplan = {
  proc: ChildProcess;
  dataDir: string;
  output: () => string;
  waitFor: (pattern: RegExp, ms?: number) => Promise<void>;
  /** The decision API's shared secret and the local Stripe server's webhook secret, from the data folder. */
  secret: (name: "gateway-secret" | "stripe-webhook-secret") => string;
  /** Sends `signal` (SIGTERM: a graceful stop) and resolves with the exit code; the data folder stays. */
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
  /** Kills what is left and removes the data folder. */
  dispose: () => Promise<void>;
};

export function startCodeplan(env: Record<string, string>, args: string[] = []): Codeplan {
  const dataDir = mkdtempSync(path.join(tmpdir(), "codeplan-rel-"));
  const proc = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts", ...args], {
    env: { ...process.env, CODEPLAN_DATA_DIR: dataDir, JOB_SWEEP_SECONDS: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const listeners = new Set<() => void>();
  const take = (b: Buffer) => {
    out += b.toString();
    for (const l of listeners) l();
  };
  proc.stdout!.on("data", take);
  proc.stderr!.on("data", take);
  const exited = new Promise<number | null>((r) => proc.once("exit", (code) => r(code)));
  return {
    proc,
    dataDir,
    output: () => out,
    waitFor: (pattern, ms = 90_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (pattern.test(out)) {
            listeners.delete(check);
            clearTimeout(t);
            resolve();
          }
        };
        const t = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`no ${pattern} in ${ms} ms; output:\n${out.slice(-4000)}`));
        }, ms);
        listeners.add(check);
        void exited.then(() => {
          if (!pattern.test(out)) {
            clearTimeout(t);
            listeners.delete(check);
            reject(new Error(`npm start ended before ${pattern}; output:\n${out.slice(-4000)}`));
          }
        });
        check();
      }),
    secret: (name) => readFileSync(path.join(dataDir, name), "utf8").trim(),
    stop: async (signal = "SIGTERM") => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      return exited;
    },
    dispose: async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGKILL");
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** One call to a server of the running CodePlan, with its timing and Retry-After. */
export async function call(url: string, init: RequestInit & { json?: unknown } = {}) {
  const started = Date.now();
  const { json, ...rest } = init;
  try {
    const res = await fetch(url, {
      method: json === undefined ? "GET" : "POST",
      ...rest,
      headers: { "content-type": "application/json", ...(rest.headers as Record<string, string>) },
      body: json === undefined ? rest.body : JSON.stringify(json),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await res.text();
    return { status: res.status, text, retryAfter: res.headers.get("retry-after"), ms: Date.now() - started };
  } catch (e) {
    return { status: 0, text: String(e), retryAfter: null, ms: Date.now() - started };
  }
}
