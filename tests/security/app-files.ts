import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

const APP_DIR = "app";

/** Every file named `name` under app/, as paths relative to the repository root. */
export function appFiles(name: string, dir = APP_DIR): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return appFiles(name, p);
    return e.name === name ? [p] : [];
  });
}

/** The URL segments of an app/ folder: route groups `(x)` and private folders `_x` drop out. */
export function urlSegments(file: string): string[] {
  return path
    .dirname(path.relative(APP_DIR, file))
    .split(path.sep)
    .filter((s) => s && s !== "." && !/^\(.*\)$/.test(s));
}

/** The dynamic segment's name, or null: `[id]` → id, `[...path]` → path. */
export function paramName(segment: string): string | null {
  return segment.match(/^\[(?:\.\.\.)?(\w+)\]$/)?.[1] ?? null;
}

/** The URL for a folder's segments, each dynamic one filled by `fill`. */
export function urlFor(segments: string[], fill: (param: string) => string): string {
  return "/" + segments.map((s) => (paramName(s) ? fill(paramName(s)!) : s)).join("/");
}

const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
export type Method = (typeof METHODS)[number];

/** The HTTP methods a route file exports (`export const GET`, `export async function POST`, `export { h as GET }`). */
export function exportedMethods(file: string): Method[] {
  const src = readFileSync(file, "utf8");
  return METHODS.filter(
    (m) =>
      new RegExp(`export\\s+(const|async\\s+function|function)\\s+${m}\\b`).test(src) ||
      new RegExp(`export\\s*\\{[^}]*\\bas\\s+${m}\\b`).test(src),
  );
}

export type RouteTarget = { file: string; segments: string[]; methods: Method[] };

export function discoverRoutes(): RouteTarget[] {
  return appFiles("route.ts")
    .sort()
    .map((file) => ({ file, segments: urlSegments(file), methods: exportedMethods(file) }));
}

export type PageTarget = { file: string; segments: string[] };

export function discoverPages(): PageTarget[] {
  return appFiles("page.tsx")
    .sort()
    .map((file) => ({ file, segments: urlSegments(file) }));
}
