/**
 * `npm test`: the tiers in order — unit, integration (real Postgres),
 * end-to-end (real Chromium), the chaos run (REL-1, tests/chaos) — then one
 * closing line with the totals.
 * The browser is the system's Chromium, else npm's (tests/support/chromium.ts),
 * found (and unpacked) first so a broken one fails at once, before the rest.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { findChromium } from "../tests/support/chromium";

// The README's two commands are all a newcomer runs: no system package to install first.
try {
  const browser = await findChromium();
  console.log(
    `npm test: browser tests use ${browser.source === "npm" ? "npm's Chromium (@sparticuz/chromium)" : browser.executablePath}`,
  );
} catch (e) {
  console.error(`npm test: ${(e as Error).message}`);
  process.exit(1);
}

rmSync("test-results", { recursive: true, force: true });
mkdirSync("test-results", { recursive: true });

type Counts = { passed: number; failed: number; skipped: number };
type Report = Record<string, number> & { stats: Record<string, number> };
type Tier = { name: string; cmd: string[]; report: string; count: (json: Report) => Counts };

const vitestCount = (j: Report) => ({
  passed: j.numPassedTests,
  failed: j.numFailedTests,
  skipped: j.numPendingTests + j.numTodoTests,
});
const tiers: Tier[] = [
  {
    name: "unit",
    cmd: [
      "vitest",
      "run",
      "--project",
      "unit",
      "--reporter=default",
      "--reporter=json",
      "--outputFile=test-results/unit.json",
    ],
    report: "test-results/unit.json",
    count: vitestCount,
  },
  {
    name: "integration",
    cmd: [
      "vitest",
      "run",
      "--project",
      "integration",
      "--reporter=default",
      "--reporter=json",
      "--outputFile=test-results/integration.json",
    ],
    report: "test-results/integration.json",
    count: vitestCount,
  },
  {
    name: "e2e",
    cmd: ["playwright", "test"],
    report: "test-results/e2e.json",
    count: (j) => ({ passed: j.stats.expected, failed: j.stats.unexpected + j.stats.flaky, skipped: j.stats.skipped }),
  },
  // REL-1: two minutes of mixed load with random SIGKILLs, fixed seed; each invariant counts as a test (tests/chaos/run.ts).
  {
    name: "chaos",
    cmd: ["tsx", "tests/chaos/run.ts", "--seconds", "120", "--seed", "42", "--json", "test-results/chaos.json"],
    report: "test-results/chaos.json",
    count: (j) => ({ passed: j.passed, failed: j.failed, skipped: j.skipped }),
  },
];

const totals = { passed: 0, failed: 0, skipped: 0 };
let ok = true;
for (const tier of tiers) {
  console.log(`\n=== ${tier.name} tests ===`);
  const started = Date.now();
  const r = spawnSync("npx", tier.cmd, { stdio: "inherit" });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (r.status !== 0) ok = false;
  if (existsSync(tier.report)) {
    const c = tier.count(JSON.parse(readFileSync(tier.report, "utf8")));
    totals.passed += c.passed;
    totals.failed += c.failed;
    totals.skipped += c.skipped;
    console.log(`=== ${tier.name}: ${c.passed} passed, ${c.failed} failed in ${seconds}s ===`);
  } else {
    totals.failed += 1;
    console.log(`=== ${tier.name}: did not report (exit ${r.status}) ===`);
  }
}
if (totals.passed === 0) ok = false;
console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(ok && totals.failed === 0 ? 0 : 1);
