import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testClock } from "../../lib/clock/clock";
import { createDb } from "../../lib/db/client";
import { embeddedDatabaseUrl, socketDirFor, startEmbeddedPostgres } from "../../lib/db/embedded";
import { startModelServer, type ModelServer } from "../support/model-server";
import { subscriberWithKey } from "../support/quota";
import { call, startCodeplan, type Codeplan } from "../support/codeplan-process";

// Graceful stop (REL-1: no acknowledged call lost on a planned stop): SIGTERM to `npm start` while a streamed
// answer is half-way. Its own embedded Postgres, so that "Postgres stops last" is tested too: the call's
// accounting, at its end, needs the database.
const PG_PORT = Number(process.env.BENCH_ROLLUP_PG_PORT ?? 54419);
const DECISION = 3317;
const WORDS = 16;
const GAP_MS = 250;
let app: Codeplan;
let model: ModelServer;

beforeAll(async () => {
  model = await startModelServer(() => ({
    text: Array.from({ length: WORDS }, (_, i) => `word${i}`).join(" "),
    gapMs: GAP_MS,
  }));
  app = startCodeplan({
    DATABASE_URL: "",
    APP_ENV: "test",
    EMBEDDED_PG_PORT: String(PG_PORT),
    WEB_INSTANCES: "0",
    PORT: "3217",
    DECISION_PORT: String(DECISION),
    STRIPE_LOCAL_PORT: "3318",
    UPSTREAM_OPENAI_URL: `${model.url}/v1`,
    SHUTDOWN_GRACE_SECONDS: "20",
  });
  await app.waitFor(new RegExp(`decision API on 127\\.0\\.0\\.1 port ${DECISION}`), 150_000);
  await app.waitFor(/worker: started/, 120_000);
}, 180_000);

afterAll(async () => {
  await app?.dispose();
  await model?.close();
});

describe("graceful stop", () => {
  it("REL-1, GATE-3: SIGTERM to npm start lets a streamed call in flight finish (slot released, usage reported), refuses new connections, then stops Postgres", async () => {
    const pgDir = path.join(app.dataDir, "pg");
    const url = embeddedDatabaseUrl(PG_PORT, "codeplan", socketDirFor(pgDir, PG_PORT));
    const db = createDb(url);
    const s = await subscriberWithKey(db, await testClock(db).now(), "lite");
    await db.$disconnect();

    const res = await fetch(`http://127.0.0.1:${DECISION}/api/coding/paas/v4/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${s.secret}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "glm-4.7", stream: true, messages: [{ role: "user", content: "count" }] }),
    });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = decoder.decode((await reader.read()).value);
    // Half-way through the answer, the operator stops CodePlan.
    const stopped = Date.now();
    app.proc.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 500));
    const late = await call(`http://127.0.0.1:${DECISION}/health`);
    expect(late.status, "a new connection after SIGTERM").toBe(0);
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value);
    }
    expect(Date.now() - stopped).toBeGreaterThan(GAP_MS * (WORDS / 2));
    for (let i = 0; i < WORDS; i++) expect(text).toContain(`word${i}`);
    expect(text).toContain("data: [DONE]");
    expect(await app.stop()).toBe(0);
    const log = app.output();
    expect(log.indexOf("codeplan: stopping")).toBeLessThan(log.lastIndexOf("codeplan: stopped"));
    expect(log).not.toMatch(/request\(s\) still running|call\(s\) still running/);

    // On the data it left: the call's slot is free and its usage recorded, once.
    const server = await startEmbeddedPostgres({ dataDir: pgDir, port: PG_PORT });
    const after = createDb(server.url("codeplan"));
    try {
      expect(await after.quotaSlot.count({ where: { subscriptionId: s.sub.id } })).toBe(0);
      expect(await after.usageReport.count({ where: { subscriptionId: s.sub.id } })).toBe(1);
      expect(await after.quotaUse.count({ where: { subscriptionId: s.sub.id } })).toBe(1);
    } finally {
      await after.$disconnect();
      await server.stop();
    }
  }, 120_000);
});
