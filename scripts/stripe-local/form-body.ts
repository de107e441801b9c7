/**
 * Stripe's wire format: application/x-www-form-urlencoded with bracket
 * notation for nesting (`metadata[invoice_id]=…`, `expand[0]=…`, `expand[]=…`).
 * Arrays arrive as objects keyed by index; `listParam` in params.ts reads both.
 */
export type FormValue = string | FormObject;
export type FormObject = { [key: string]: FormValue };

// Keys that would reach Object.prototype if a client sent them.
const UNSAFE_KEYS = new Set(["__proto__", "constructor", "prototype"]);

function decode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, " "));
  } catch {
    return s;
  }
}

function keyPath(rawKey: string): string[] {
  const first = rawKey.indexOf("[");
  if (first <= 0) return [rawKey];
  const path = [rawKey.slice(0, first)];
  for (const m of rawKey.slice(first).matchAll(/\[([^\]]*)\]/g)) path.push(m[1]);
  return path;
}

/** Parses a form-encoded string (a body or a query string) into nested objects. */
export function parseForm(text: string): FormObject {
  const root: FormObject = {};
  for (const pair of text.split("&")) {
    if (!pair) continue;
    const eq = pair.indexOf("=");
    const rawKey = decode(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? "" : decode(pair.slice(eq + 1));
    const path = keyPath(rawKey);
    if (path.some((k) => UNSAFE_KEYS.has(k))) continue;
    let node = root;
    for (let i = 0; i < path.length; i++) {
      // `a[]=x` appends: the next index is the number of entries so far.
      const key = path[i] === "" ? String(Object.keys(node).length) : path[i];
      if (i === path.length - 1) {
        node[key] = value;
        break;
      }
      const next = node[key];
      if (typeof next === "object") {
        node = next;
      } else {
        const child: FormObject = {};
        node[key] = child;
        node = child;
      }
    }
  }
  return root;
}
