import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { DECISION_NODE_FLAGS } from "../../lib/gateway/decision-node-flags";

/**
 * The decision server (scripts/decision-server.ts) as `npm start` runs it in
 * production, for the benchmarks: its Node flags, APP_ENV=production, on
 * `port` over `databaseUrl` with the gateway's `secret`. `flags` adds Node
 * flags (a CPU profile, say); `env` adds settings, and one set to undefined
 * is left out. Its output goes to this process's, or to a pipe.
 */
export function spawnDecisionServer(o: {
  port: number;
  databaseUrl: string;
  secret: string;
  flags?: string[];
  env?: Record<string, string | undefined>;
  stdout?: "inherit" | "pipe";
}): ChildProcess {
  return spawn(
    process.execPath,
    [...DECISION_NODE_FLAGS, ...(o.flags ?? []), "--import", "tsx", "scripts/decision-server.ts"],
    {
      env: {
        ...process.env,
        APP_ENV: "production",
        DATABASE_URL: o.databaseUrl,
        DECISION_PORT: String(o.port),
        GATEWAY_SECRET: o.secret,
        NEXTAUTH_URL: "http://localhost:1",
        NEXTAUTH_SECRET: randomBytes(32).toString("hex"),
        SMTP_URL: "smtp://127.0.0.1:2525",
        ...o.env,
      },
      stdio: ["ignore", o.stdout ?? "inherit", "inherit"],
    },
  );
}

/** Stops the decision server gracefully and waits for it (SIGKILL after 10 s), so Postgres can stop under no one. */
export async function stopDecisionServer(proc: ChildProcess | undefined): Promise<void> {
  if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
  proc.kill("SIGTERM");
  const timer = setTimeout(() => proc.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}
