/**
 * Benchmark (issue 18): the reference gateway on the decision server's port,
 * forwarding coding-plan chat completions (OpenAI's wire, streamed) to a stub
 * model server on this machine (tests/bench/model-stub.ts, its own process)
 * that answers a user text with a streamed tool call and tool results with a
 * short text. 1,000 Max subscribers with a key each; a set-up call per key
 * collects a tool call the gateway returned to it; then every other call is a
 * new prompt and the rest continue that key's prompt (QUOTA-1: no quota).
 * Measured in one run: the stub's own rate at N connections, calls/s (200
 * answers) through the gateway at N, and p50/p99 at 10 connections straight
 * to the stub and through the gateway (the difference is what the gateway
 * adds), then the same at a paced 500 calls/s over 10 connections (open
 * loop, paced.ts: what a call costs when the machine is not saturated, where
 * the closed loop's latency is 10 ÷ the rate sustained); 1302 refusals are
 * counted apart. Then checks that every prompt was
 * counted exactly once and every continuation was reported under the prompt
 * it continued. Targets on 2 cores: ≥ 2,500 calls/s at 50 connections, added
 * p50 ≤ 2 ms and p99 ≤ 10 ms at 10. The decision server runs with npm start's
 * Node flags.
 *   npx tsx tests/bench/gateway.ts [seconds=15] [connections=50] [paced-rate=500]
 * Uses wrk for the load when it is installed (apt-get install wrk),
 * autocannon otherwise. Its own ports, data folder and Postgres.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import autocannon from "autocannon";
import pg from "pg";
import { openPostgresServer } from "../../lib/db/server";
import { spawnDecisionServer } from "./decision-server";
import { freshBenchDatabase } from "./fresh-database";
import { seedMaxSubscribers } from "./max-subscribers";
import { waitForAnswer } from "./wait-for-answer";
import { postLoad, useWrk, type Load } from "./load";
import { pacedLoad } from "./paced";
import { postmasterPid, processCpuMs, treeCpuMs } from "./process-cpu";

const SECONDS = Number(process.argv[2] ?? 15);
const CONNECTIONS = Number(process.argv[3] ?? 50);
const LATENCY_CONNECTIONS = 10;
// The paced runs' rate (calls/s over the 10 connections): well under what the gateway carries there, so they show
// what a call costs on a machine that is not saturated (argv[4]).
const PACED_RATE = Number(process.argv[4] ?? 500);
const KEYS = 1000;
const PORT = Number(process.env.BENCH_DECISION_PORT ?? 3311);
const STUB_PORT = Number(process.env.BENCH_STUB_PORT ?? 3312);
const DATA_DIR = path.join(".data", "bench-gateway");
const DB_NAME = "codeplan_bench_gateway";
const SECRET = randomBytes(32).toString("hex");
const GATEWAY_URL = `http://127.0.0.1:${PORT}/api/coding/paas/v4/chat/completions`;
const STUB_URL = `http://127.0.0.1:${STUB_PORT}/v1/chat/completions`;

// A coding agent's turn, small: the gateway reads the model, the last user turn and the stream flags, and forwards the rest.
const TOOLS = [
  {
    type: "function",
    function: {
      name: "run_tests",
      description: "Runs the project's tests.",
      parameters: { type: "object", properties: { command: { type: "string" } }, required: ["command"] },
    },
  },
];
const START = [
  { role: "system", content: "You are a coding agent working in the user's repository." },
  { role: "user", content: "Run the tests and tell me whether they pass." },
];
const REQUEST = { model: "glm-4.7", stream: true, stream_options: { include_usage: true }, tools: TOOLS };
const NEW_BODY = JSON.stringify({ ...REQUEST, messages: START });
// @ID@: the tool call being answered (the Lua script and contBody fill it in).
const CONT_BODY = JSON.stringify({
  ...REQUEST,
  messages: [
    ...START,
    {
      role: "assistant",
      content: null,
      tool_calls: [
        { id: "@ID@", type: "function", function: { name: "run_tests", arguments: '{"command":"npm test"}' } },
      ],
    },
    { role: "tool", tool_call_id: "@ID@", content: "786 passed, 0 failed" },
  ],
});
const contBody = (id: string) => CONT_BODY.replaceAll("@ID@", id);

/** What came back, by kind: 200s with a tool call (new prompts), other 200s (continuations), 1302 refusals, anything else. */
type Counts = { newOk: number; contOk: number; busy: number; other: number };
/** CPU milliseconds each process used during a run (read from /proc): the decision server, Postgres, the stub. */
type Cpu = { gateway: number; postgres: number; stub: number };
type Run = Load & Counts & { seconds: number; cpu: Cpu };

const pgDataDir = path.join(process.cwd(), DATA_DIR, "pg");
const server = await openPostgresServer({
  databaseUrl: process.env.BENCH_DATABASE_URL,
  dataDir: pgDataDir,
  port: Number(process.env.BENCH_GATEWAY_PG_PORT ?? 54347),
});
const children: ChildProcess[] = [];
try {
  const { url, db } = await freshBenchDatabase(server, DB_NAME);
  await db.$disconnect();

  const c = new pg.Client({ connectionString: url });
  await c.connect();
  c.on("error", () => {});
  const now = new Date();
  const secrets = await seedMaxSubscribers(c, "gateway", KEYS, now);
  await c.query("ANALYZE");

  console.log(
    `starting the stub model server on :${STUB_PORT} and the decision server on :${PORT} (APP_ENV=production)…`,
  );
  // The stub in its own process, as a real model server would be: in this one it would share the event loop
  // with autocannon (when wrk is missing) and the set-up's client, and the direct and gateway runs would not compare.
  const stub = spawn(process.execPath, ["--import", "tsx", "tests/bench/model-stub.ts"], {
    env: { ...process.env, STUB_PORT: String(STUB_PORT) },
    stdio: ["ignore", "ignore", "inherit"],
  });
  children.push(stub);
  // BENCH_PROFILE=1 writes a CPU profile of the decision server to .data/bench-gateway/prof; BENCH_DECISION_FLAGS
  // adds Node flags (--trace-gc, say: its lines are printed here).
  const decisions = spawnDecisionServer({
    port: PORT,
    databaseUrl: url,
    secret: SECRET,
    flags: [
      ...(process.env.BENCH_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${DATA_DIR}/prof`] : []),
      ...(process.env.BENCH_DECISION_FLAGS?.split(" ").filter(Boolean) ?? []),
    ],
    // Only the OpenAI-wire stub: no Anthropic model server, no model map from the caller's environment.
    env: {
      UPSTREAM_OPENAI_URL: `http://127.0.0.1:${STUB_PORT}/v1`,
      UPSTREAM_ANTHROPIC_URL: undefined,
      UPSTREAM_ANTHROPIC_KEY: undefined,
      UPSTREAM_MODEL_MAP: undefined,
    },
    stdout: "pipe",
  });
  children.push(decisions);
  // Each load's stop drops its calls in flight, and the gateway logs every one whose answer had not begun: counted, not printed.
  let abandoned = 0;
  createInterface({ input: decisions.stdout! }).on("line", (line) => {
    if (line.includes("failed before answering: This operation was aborted")) abandoned++;
    else console.log(line);
  });
  for (const health of [`http://127.0.0.1:${STUB_PORT}/counts`, `http://127.0.0.1:${PORT}/health`])
    await waitForAnswer(health, children);

  // Set-up: one new prompt per key through the gateway; the tool call it returns is what that key's continuations answer.
  const toolCalls: string[] = new Array(KEYS);
  let next = 0;
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      for (let i = next++; i < KEYS; i = next++) {
        const res = await fetch(GATEWAY_URL, {
          method: "POST",
          headers: { authorization: `Bearer ${secrets[i]}`, "content-type": "application/json" },
          body: NEW_BODY,
        });
        const text = await res.text();
        const id = /"id":"(call_[^"]+)"/.exec(text)?.[1];
        if (res.status !== 200 || !id)
          throw new Error(`set-up call ${i} answered ${res.status}: ${text.slice(0, 300)}`);
        toolCalls[i] = id;
      }
    }),
  );
  mkdirSync(DATA_DIR, { recursive: true });
  const keysFile = path.join(DATA_DIR, "keys.txt");
  writeFileSync(keysFile, secrets.map((s, i) => `${s}\t${toolCalls[i]}`).join("\n"));
  const countsFile = path.join(DATA_DIR, "counts.json");

  const postmaster = server.embedded ? postmasterPid(pgDataDir) : undefined;
  const cpuNow = (): Cpu => ({
    gateway: processCpuMs(decisions.pid),
    postgres: treeCpuMs(postmaster),
    stub: processCpuMs(stub.pid),
  });
  const cpuBetween = (before: Cpu, after: Cpu): Cpu => ({
    gateway: after.gateway - before.gateway,
    postgres: after.postgres - before.postgres,
    stub: after.stub - before.stub,
  });
  // The n-th call of a load: a random key, every other call a new prompt and the rest continuing that key's prompt.
  const callOf = (n: number) => {
    const i = Math.floor(Math.random() * KEYS);
    return {
      headers: {
        authorization: `Bearer ${secrets[i]}`,
        "content-type": "application/json",
        "user-agent": "opencode/1.0",
      },
      body: n % 2 === 0 ? NEW_BODY : contBody(toolCalls[i]),
    };
  };
  // An answer counted by what it holds (as the wrk script counts them).
  const countAnswer = (counts: Counts, status: number, body: string) => {
    if (status === 200) counts[body.includes('"tool_calls":[') ? "newOk" : "contOk"]++;
    else counts[body.includes('"1302"') ? "busy" : "other"]++;
  };
  const run = async (target: string, connections: number, seconds: number): Promise<Run> => {
    const before = cpuNow();
    const r = await load(target, connections, seconds);
    const after = cpuNow();
    return { ...r, cpu: cpuBetween(before, after) };
  };
  const load = async (target: string, connections: number, seconds: number): Promise<Omit<Run, "cpu">> => {
    if (useWrk) {
      const r = await postLoad({
        url: target,
        connections,
        seconds,
        wrkScript: "tests/bench/quota/gateway.lua",
        env: {
          BENCH_KEYS_FILE: keysFile,
          BENCH_NEW_BODY: NEW_BODY,
          BENCH_CONT_BODY: CONT_BODY,
          BENCH_COUNTS_FILE: countsFile,
        },
        request: () => ({ body: "" }), // wrk's script builds the requests
      });
      return { ...r, ...(JSON.parse(readFileSync(countsFile, "utf8")) as Counts), seconds };
    }
    // autocannon: load.ts's postLoad does not show the answers, and the counts need them.
    const counts: Counts = { newOk: 0, contOk: 0, busy: 0, other: 0 };
    let n = 0;
    const r = await autocannon({
      url: target,
      connections,
      duration: seconds,
      method: "POST",
      requests: [
        {
          setupRequest: (req) => ({ ...req, ...callOf(n++) }),
          onResponse: (status, body) => countAnswer(counts, status, body),
        },
      ],
    });
    return {
      answered: r.requests.total,
      p50: r.latency.p50,
      p99: r.latency.p99,
      failed: r.non2xx + r.errors + r.timeouts,
      ...counts,
      seconds,
    };
  };

  // Open loop at PACED_RATE over the latency connections (paced.ts), the same mix of new prompts and continuations.
  const paced = async (target: string): Promise<Run> => {
    const counts: Counts = { newOk: 0, contOk: 0, busy: 0, other: 0 };
    const before = cpuNow();
    const r = await pacedLoad({
      url: target,
      connections: LATENCY_CONNECTIONS,
      rate: PACED_RATE,
      seconds: SECONDS,
      warmup: 2,
      request: callOf,
      answer: (status, body) => countAnswer(counts, status, body),
    });
    return { ...r, ...counts, seconds: SECONDS, cpu: cpuBetween(before, cpuNow()) };
  };

  // Warm-up (the key cache, prepared statements, the JIT, both HTTP pools), then the statistics a running
  // database has: its tables were empty when the run began and autovacuum analyses at most once a minute.
  const through: Run[] = [await run(GATEWAY_URL, CONNECTIONS, 3)];
  await run(STUB_URL, CONNECTIONS, 3);
  await c.query("ANALYZE");
  console.log(
    `load from ${useWrk ? "wrk" : "autocannon"}, ${SECONDS} s each: the stub alone and through the gateway at ${CONNECTIONS} connections, then both at ${LATENCY_CONNECTIONS}…`,
  );
  const stubMax = await run(STUB_URL, CONNECTIONS, SECONDS);
  const gateway = await run(GATEWAY_URL, CONNECTIONS, SECONDS);
  const direct10 = await run(STUB_URL, LATENCY_CONNECTIONS, SECONDS);
  const gateway10 = await run(GATEWAY_URL, LATENCY_CONNECTIONS, SECONDS);
  const directPaced = await paced(STUB_URL);
  const gatewayPaced = await paced(GATEWAY_URL);
  through.push(gateway, gateway10, gatewayPaced);

  const count = async (sql: string, values: unknown[] = []) =>
    Number((await c.query<{ n: string }>(sql, values)).rows[0].n);
  // Calls still in flight when a load stopped finish on their own: wait for their slots to go.
  for (let i = 0; i < 100 && (await count(`SELECT count(*) AS n FROM quota_slots`)) > 0; i++)
    await new Promise((r) => setTimeout(r, 100));

  const perSecond = (r: Run) => ((r.newOk + r.contOk) / r.seconds).toFixed(0);
  const ms = (x: number) => `${x.toFixed(2)} ms`;
  const latency = (r: Run) => `p50 ${ms(r.p50)}, p99 ${ms(r.p99)}`;
  // CPU per answered call: what each process costs a call whatever the neighbours' load (Postgres: unknown, "?", when not embedded).
  const perCall = (r: Run) => {
    const n = Math.max(1, r.newOk + r.contOk);
    const each = (x: number) => (x / n).toFixed(3);
    return `CPU per call: decision server ${each(r.cpu.gateway)} ms, Postgres ${postmaster ? each(r.cpu.postgres) : "?"} ms, stub ${each(r.cpu.stub)} ms`;
  };
  console.log("| run | figures | target |\n| --- | --- | --- |");
  for (const [what, figure, target] of [
    [
      `stub alone, ${CONNECTIONS} connections`,
      `${perSecond(stubMax)} calls/s; ${latency(stubMax)}; stub CPU per call ${(stubMax.cpu.stub / Math.max(1, stubMax.newOk + stubMax.contOk)).toFixed(3)} ms`,
      "",
    ],
    [
      `through the gateway, ${CONNECTIONS} connections`,
      `**${perSecond(gateway)} calls/s**; ${latency(gateway)}; 1302: ${gateway.busy}, other failures: ${gateway.failed - gateway.busy}; ${perCall(gateway)}`,
      "≥ 2,500 calls/s",
    ],
    [`stub alone, ${LATENCY_CONNECTIONS} connections`, `${latency(direct10)}; ${perSecond(direct10)} calls/s`, ""],
    [
      `through the gateway, ${LATENCY_CONNECTIONS} connections`,
      `${latency(gateway10)}; ${perSecond(gateway10)} calls/s; 1302: ${gateway10.busy}, other failures: ${gateway10.failed - gateway10.busy}; ${perCall(gateway10)}`,
      "",
    ],
    [
      `added by the gateway, ${LATENCY_CONNECTIONS} connections kept busy (closed loop: latency is connections ÷ calls/s)`,
      `**p50 ${ms(gateway10.p50 - direct10.p50)}, p99 ${ms(gateway10.p99 - direct10.p99)}**`,
      "p50 ≤ 2 ms, p99 ≤ 10 ms",
    ],
    [`stub alone, paced at ${PACED_RATE} calls/s over ${LATENCY_CONNECTIONS} connections`, latency(directPaced), ""],
    [
      `through the gateway, paced at ${PACED_RATE} calls/s over ${LATENCY_CONNECTIONS} connections`,
      `${latency(gatewayPaced)}; 1302: ${gatewayPaced.busy}, other failures: ${gatewayPaced.failed - gatewayPaced.busy}; ${perCall(gatewayPaced)}`,
      "",
    ],
    [
      `added by the gateway, paced at ${PACED_RATE} calls/s (open loop)`,
      `**p50 ${ms(gatewayPaced.p50 - directPaced.p50)}, p99 ${ms(gatewayPaced.p99 - directPaced.p99)}**`,
      "p50 ≤ 2 ms, p99 ≤ 10 ms",
    ],
  ])
    console.log(`| ${what} | ${figure} | ${target} |`);

  // The accounts. Each answered new prompt has its quota_uses row and its report under its own id, each
  // continuation a report under the set-up prompt of its key and no quota_uses row, and no slot is left.
  const newOk = KEYS + through.reduce((s, r) => s + r.newOk, 0);
  const contOk = through.reduce((s, r) => s + r.contOk, 0);
  const prompts = await count(`SELECT count(*) AS n FROM quota_uses WHERE pool = 'prompt'`);
  const reports = await count(`SELECT count(*) AS n FROM usage_reports`);
  const continued = await count(`SELECT count(*) AS n FROM usage_reports WHERE prompt_id <> request_id`);
  const unmatched = await count(
    `SELECT count(*) AS n FROM quota_uses q FULL JOIN (SELECT * FROM usage_reports WHERE prompt_id = request_id) u USING (subscription_id, request_id)
      WHERE q.request_id IS NULL OR u.request_id IS NULL`,
  );
  const charged = await count(
    `SELECT count(*) AS n FROM usage_reports u JOIN quota_uses q USING (subscription_id, request_id) WHERE u.prompt_id <> u.request_id`,
  );
  const misattributed = await count(
    `SELECT count(*) AS n FROM usage_reports u LEFT JOIN gateway_tool_calls g ON g.subscription_id = u.subscription_id AND g.tool_call_id = ANY($1::text[])
      WHERE u.prompt_id <> u.request_id AND g.prompt_id IS DISTINCT FROM u.prompt_id`,
    [toolCalls],
  );
  const slots = await count(`SELECT count(*) AS n FROM quota_slots`);
  // wrk and autocannon drop the calls in flight when their time is up; the gateway still counts those its answer reached.
  const cut = CONNECTIONS + CONNECTIONS + LATENCY_CONNECTIONS;
  const ok =
    unmatched === 0 &&
    charged === 0 &&
    misattributed === 0 &&
    slots === 0 &&
    prompts >= newOk &&
    prompts - newOk <= cut &&
    continued >= contOk &&
    reports >= newOk + contOk &&
    reports - newOk - contOk + abandoned <= cut &&
    through.every((r) => r.other === 0);
  console.log(
    `client: ${newOk} new prompts and ${contOk} continuations answered (set-up included), ${through.reduce((s, r) => s + r.busy, 0)} refused with 1302; calls in flight when the loads stopped: ${abandoned} abandoned before their answer began, at most ${cut} in all`,
  );
  console.log(
    `database: ${prompts} prompts counted, ${reports} usage reports (${continued} continuing); prompts without their report or reports without their prompt: ${unmatched}; ` +
      `continuations charged: ${charged}; continuations under another prompt: ${misattributed}; slots left: ${slots} → ${ok ? "exact" : "MISMATCH"}`,
  );
  if (!ok) process.exitCode = 1;
  await c.end();
} finally {
  for (const p of children) p.kill("SIGTERM");
  await new Promise((r) => setTimeout(r, 1000));
  await server.stop();
}
