import type pg from "pg";
import { changedTables, fingerprint, settled } from "./db-fingerprint";
import type { Target } from "./plan";
import { healthy } from "./probe";
import { short } from "./verdicts";

export type Row = { target: string; cells: Map<string, string[]>; rows: string; failures: string[] };

/** Column of the closing table each attack kind goes in. */
const column = (kind: string) => (kind.startsWith("malformed") ? "malformed" : kind === "cross-user" || kind === "subscriber→admin" ? "other user/role" : kind);
export const COLUMNS = ["anonymous", "other user/role", "malformed", "oversized"];

/**
 * Fires each target's attacks in turn and fingerprints the database around
 * each target, so a changed row is pinned to the route or action that made it.
 */
export async function runSweep(base: string, targets: Target[], client: pg.Client): Promise<Row[]> {
  const out: Row[] = [];
  let before = await settled(client);
  for (const t of targets) {
    const row: Row = { target: t.label, cells: new Map(), rows: "same", failures: [] };
    for (const a of t.attacks) {
      const answer = await a.run().catch((e: Error) => ({ status: 0, redirect: null, ms: 0, note: e.message }));
      const verdict = a.judge(answer);
      const cell = `${short(answer)}${verdict ? "✗" : ""}`;
      row.cells.set(column(a.kind), [...(row.cells.get(column(a.kind)) ?? []), cell]);
      if (verdict) row.failures.push(`${a.kind}: ${verdict}`);
      if (a.kind === "oversized" && !(await healthy(base))) row.failures.push("oversized: the server stopped answering its health check");
    }
    const after = await fingerprint(client);
    const changed = changedTables(before, after);
    if (changed.length) {
      row.rows = `CHANGED ${changed.join(",")}✗`;
      row.failures.push(`rows changed in ${changed.join(", ")}`);
      // Start the next target from what is there now, so one change is not blamed on every later target.
      before = await settled(client);
    } else before = after;
    out.push(row);
  }
  return out;
}

/** The compact table for the closing note: target × attack kind → answers (✗ marks a failure). */
export function renderTable(rows: Row[]): string {
  const header = ["target", ...COLUMNS, "rows"];
  const lines = rows.map((r) => [r.target, ...COLUMNS.map((c) => [...new Set(r.cells.get(c) ?? ["-"])].join(" ")), r.rows]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (l: string[]) => l.map((c, i) => c.padEnd(widths[i])).join(" | ");
  return [fmt(header), widths.map((w) => "-".repeat(w)).join("-|-"), ...lines.map(fmt)].join("\n");
}
