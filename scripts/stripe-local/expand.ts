/**
 * Stripe's `expand[]`: replaces id strings at the given dotted paths with the
 * objects they name (`latest_charge`, `data.payment_method`, …). Works on a
 * copy, never on stored objects.
 */
export function expandFields(body: unknown, paths: string[], lookup: (id: string) => unknown): unknown {
  if (paths.length === 0) return body;
  const copy = structuredClone(body);
  for (const path of paths) expandPath(copy, path.split("."), lookup);
  return copy;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function expandPath(node: unknown, path: string[], lookup: (id: string) => unknown): void {
  if (!isRecord(node) || path.length === 0) return;
  const [head, ...rest] = path;
  const value = node[head];
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      if (typeof item === "string" && rest.length === 0) value[i] = lookup(item) ?? item;
      else expandPath(item, rest, lookup);
    });
    return;
  }
  if (typeof value === "string") {
    const found = lookup(value);
    if (found === undefined) return;
    node[head] = structuredClone(found);
  }
  expandPath(node[head], rest, lookup);
}
