import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { waitForAnswer } from "./wait-for-answer";

/**
 * Starts the app as `npm start` runs it in production (next build, which the
 * first run does, + the web server (scripts/web-server.ts) and the job worker; APP_ENV=production, Stripe
 * keys set so no local Stripe server starts), on its own port, data folder
 * and build folder, against the given database, with the decision (ingress)
 * server on the next port. Resolves once both answer their health checks.
 */
export async function startProductionApp(input: {
  port: number;
  databaseUrl: string;
  dataDir: string;
  env?: Record<string, string>;
}): Promise<ChildProcess> {
  const app = spawn(path.join("node_modules", ".bin", "tsx"), ["scripts/start.ts"], {
    env: {
      ...process.env,
      PORT: String(input.port),
      APP_ENV: "production",
      DATABASE_URL: input.databaseUrl,
      CODEPLAN_DATA_DIR: input.dataDir,
      NEXT_DIST_DIR: ".next-bench",
      NEXTAUTH_URL: `http://localhost:${input.port}`,
      NEXTAUTH_SECRET: randomBytes(32).toString("hex"),
      GATEWAY_SECRET: randomBytes(32).toString("hex"),
      DECISION_PORT: String(input.port + 1),
      // Required in production; the benchmarks send no mail.
      SMTP_URL: "smtp://127.0.0.1:2525",
      STRIPE_SECRET_KEY: "sk_test_codeplan_bench",
      STRIPE_WEBHOOK_SECRET: "whsec_bench",
      STRIPE_LOCAL_URL: "",
      ...input.env,
    },
    stdio: ["ignore", process.env.BENCH_VERBOSE ? "inherit" : "ignore", "inherit"],
  });
  // The first run builds the app (next build): minutes.
  for (const url of [`http://localhost:${input.port}/api/health`, `http://localhost:${input.port + 1}/health`])
    await waitForAnswer(url, [app], 600_000);
  return app;
}
