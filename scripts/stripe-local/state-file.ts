import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { emptyState, type State } from "./state";

/**
 * Reads the data file, or an empty state when there is none. Sections missing
 * from an older file fall back to empty so the format can grow.
 */
export function loadState(file: string): State {
  const empty = emptyState();
  if (!existsSync(file)) return empty;
  let saved: Partial<State>;
  try {
    saved = JSON.parse(readFileSync(file, "utf8")) as Partial<State>;
  } catch (e) {
    // Refuse to start rather than overwrite a file we cannot read.
    throw new Error(`stripe-local: cannot read its data file ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  return { ...empty, ...saved, webhooks: { ...empty.webhooks, ...saved.webhooks } };
}

/**
 * Writes the whole state to a temporary file and renames it over the data
 * file: a crash mid-write leaves the previous, complete file in place.
 * Synchronous on purpose, so a response is only sent once its state is on disk.
 */
export function saveState(file: string, state: State): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state));
  renameSync(tmp, file);
}
