import type { RecentCall } from "../define";

export type Crowd = { values: string[]; keyIds: string[]; at: Date };

/**
 * POLICY-3's common shape: slides a window of `windowMs` over the calls (in
 * time order) and answers the first window that holds more than `max`
 * distinct values of `valueOf` (calls without one are left out), with those
 * values and the keys that made the calls (at least `minKeys` of them); or
 * null. Linear in the calls while no window is crowded.
 */
export function crowdedWindow(
  calls: RecentCall[],
  valueOf: (c: RecentCall) => string | null | undefined,
  windowMs: number,
  max: number,
  minKeys = 1,
): Crowd | null {
  const seen = calls
    .flatMap((c) => {
      const value = valueOf(c);
      return value ? [{ c, value }] : [];
    })
    .sort((a, b) => a.c.at.getTime() - b.c.at.getTime());
  const counts = new Map<string, number>();
  let start = 0;
  for (let end = 0; end < seen.length; end++) {
    const { c, value } = seen[end];
    counts.set(value, (counts.get(value) ?? 0) + 1);
    while (c.at.getTime() - seen[start].c.at.getTime() >= windowMs) {
      const gone = seen[start++].value;
      const n = counts.get(gone)! - 1;
      if (n === 0) counts.delete(gone);
      else counts.set(gone, n);
    }
    if (counts.size > max) {
      const keyIds = [...new Set(seen.slice(start, end + 1).map((x) => x.c.keyId))];
      if (keyIds.length >= minKeys) return { values: [...counts.keys()], keyIds, at: c.at };
    }
  }
  return null;
}

/** The calls grouped by key, in first-seen order. */
export function byKey(calls: RecentCall[]): Map<string, RecentCall[]> {
  const keys = new Map<string, RecentCall[]>();
  for (const c of calls) {
    const list = keys.get(c.keyId);
    if (list) list.push(c);
    else keys.set(c.keyId, [c]);
  }
  return keys;
}
