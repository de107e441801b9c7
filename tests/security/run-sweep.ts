import type pg from "pg";
import { changedTables, fingerprint, settled, type Fingerprint } from "./db-fingerprint";
import type { Target } from "./plan";
import { healthy } from "./probe";
import { short } from "./verdicts";

export type Row = { target: string; cells: Map<string, string[]>; rows: string; failures: string[] };

/** Column of the closing table each attack kind goes in. */
const column = (kind: string) =>
  kind.startsWith("malformed")
    ? "malformed"
    : kind === "cross-user" || kind === "subscriber→admin"
      ? "other user/role"
      : kind;
export const COLUMNS = ["anonymous", "other user/role", "malformed", "oversized"];

type Attempt = { cells: [string, string][]; failures: string[]; changed: string[] };

async function attempt(
  base: string,
  t: Target,
  client: pg.Client,
  before: Fingerprint,
): Promise<Attempt & { after: Fingerprint }> {
  const out: Attempt = { cells: [], failures: [], changed: [] };
  for (const a of t.attacks) {
    const answer = await a.run().catch((e: Error) => ({ status: 0, redirect: null, ms: 0, note: e.message }));
    const verdict = a.judge(answer);
    out.cells.push([column(a.kind), `${short(answer)}${verdict ? "✗" : ""}`]);
    if (verdict) out.failures.push(`${a.kind}: ${verdict}`);
    if (a.kind === "oversized" && !(await healthy(base)))
      out.failures.push("oversized: the server stopped answering its health check");
  }
  const after = await fingerprint(client);
  return { ...out, changed: changedTables(before, after), after };
}

/** Whether the database changes with nobody asking (the job worker finishing something), over one quiet spell. */
async function movingByItself(client: pg.Client): Promise<boolean> {
  const a = await fingerprint(client);
  await new Promise((r) => setTimeout(r, 1500));
  return changedTables(a, await fingerprint(client)).length > 0;
}

/**
 * Fires each target's attacks in turn and fingerprints the database around
 * each target, so a changed row is pinned to the route or action that made it.
 * A change while the database is still moving by itself (the worker) is not
 * pinned on the target: once it is still, the target is tried again and
 * judged by that try. A change in a still database is the target's.
 */
export async function runSweep(base: string, targets: Target[], client: pg.Client): Promise<Row[]> {
  const out: Row[] = [];
  let before = await settled(client);
  for (const t of targets) {
    let result = await attempt(base, t, client, before);
    let rows = "same";
    if (result.changed.length && (await movingByItself(client))) {
      result = await attempt(base, t, client, await settled(client));
      rows = "same (retried: worker busy)";
    }
    const row: Row = { target: t.label, cells: new Map(), rows, failures: result.failures };
    for (const [col, cell] of result.cells) row.cells.set(col, [...(row.cells.get(col) ?? []), cell]);
    before = result.after;
    if (result.changed.length) {
      row.rows = `CHANGED ${result.changed.join(",")}✗`;
      row.failures.push(`rows changed in ${result.changed.join(", ")}`);
      // Start the next target from what is there now, so one change is not blamed on every later target.
      before = await settled(client);
    }
    out.push(row);
  }
  return out;
}

/** The compact table for the closing note: target × attack kind → answers (✗ marks a failure). */
export function renderTable(rows: Row[]): string {
  const header = ["target", ...COLUMNS, "rows"];
  const lines = rows.map((r) => [
    r.target,
    ...COLUMNS.map((c) => [...new Set(r.cells.get(c) ?? ["-"])].join(" ")),
    r.rows,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (l: string[]) => l.map((c, i) => c.padEnd(widths[i])).join(" | ");
  return [fmt(header), widths.map((w) => "-".repeat(w)).join("-|-"), ...lines.map(fmt)].join("\n");
}
