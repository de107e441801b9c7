import type { Route } from "./api-context";

type Compiled = { route: Route; regex: RegExp; names: string[] };

/** Matches a method and path against `/v1/things/:id` patterns. */
export function createRouter(routes: Route[]) {
  const compiled: Compiled[] = routes.map((route) => {
    const names: string[] = [];
    const source = route.pattern
      .split("/")
      .map((seg) => {
        if (!seg.startsWith(":")) return seg.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        names.push(seg.slice(1));
        return "([^/]+)";
      })
      .join("/");
    return { route, regex: new RegExp(`^${source}/?$`), names };
  });

  return function match(method: string, path: string): { route: Route; pathParams: Record<string, string> } | null {
    for (const c of compiled) {
      if (c.route.method !== method) continue;
      const m = c.regex.exec(path);
      if (!m) continue;
      const pathParams: Record<string, string> = {};
      c.names.forEach((name, i) => (pathParams[name] = decodeURIComponent(m[i + 1])));
      return { route: c.route, pathParams };
    }
    return null;
  };
}
