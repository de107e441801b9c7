import type { CheckResult } from "./invariants";

/** The run's closing table: operations by kind and outcome, faults by process, the invariant checks. */
export function printReport(input: {
  seconds: number;
  seed: number;
  operations: Map<string, Map<string, number>>;
  faults: Map<string, number>;
  deliveries: Record<string, number>;
  checks: CheckResult[];
}) {
  const line = (cells: (string | number)[], widths: number[]) =>
    cells.map((c, i) => String(c).padEnd(widths[i])).join("  ");
  console.log(`\nchaos run: ${input.seconds} s, seed ${input.seed}`);
  console.log("\noperations (what the client was told)");
  for (const [kind, outcomes] of [...input.operations].sort()) {
    for (const [outcome, n] of [...outcomes].sort((a, b) => b[1] - a[1]))
      console.log(`  ${line([kind, outcome, n], [26, 44, 6])}`);
  }
  const total = [...input.faults.values()].reduce((s, n) => s + n, 0);
  console.log(`\nfaults (SIGKILL, then restart): ${total}`);
  for (const [name, n] of [...input.faults].sort()) console.log(`  ${line([name, n], [26, 6])}`);
  console.log(
    `\nwebhook deliveries through the proxy: ${Object.entries(input.deliveries)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")}`,
  );
  console.log("\ninvariants");
  for (const c of input.checks)
    console.log(
      `  ${line([c.violations.length ? "VIOLATED" : "ok", c.rule, c.name, c.violations.length || ""], [9, 10, 56, 6])}`,
    );
  const broken = input.checks.filter((c) => c.violations.length);
  if (broken.length) {
    console.log("\nviolations (first 5 of each)");
    for (const c of broken) {
      console.log(`  ${c.name}:`);
      for (const v of c.violations.slice(0, 5)) console.log(`    ${JSON.stringify(v)}`);
    }
  }
  return broken.length;
}
