import { readFileSync } from "node:fs";
import path from "node:path";

/**
 * Every server action of the build, from Next's own manifest
 * (`<distDir>/server/server-reference-manifest.json`: action id → the pages
 * that can run it, the source file and the export), so an action added later
 * is swept without editing this file.
 */
export type ActionTarget = {
  id: string;
  file: string;
  name: string;
  /** An app/ page that serves the action, as its folder segments (the action is posted to that page's URL). */
  pageSegments: string[];
  /** Takes no input: it acts only on the caller's own records, so only the anonymous call is meaningful. */
  takesNoInput: boolean;
};

type ManifestEntry = { workers: Record<string, unknown>; filename?: string; exportedName?: string };

export function discoverActions(distDir: string): ActionTarget[] {
  const manifest = JSON.parse(readFileSync(path.join(distDir, "server", "server-reference-manifest.json"), "utf8")) as {
    node: Record<string, ManifestEntry>;
  };
  return Object.entries(manifest.node)
    .map(([id, entry]) => {
      if (!entry.filename || !entry.exportedName)
        throw new Error(`server action ${id} has no filename/exportedName in the manifest`);
      // The page with the fewest dynamic segments is the simplest URL to post to.
      const page = Object.keys(entry.workers)
        .filter((w) => w.endsWith("/page") && !w.includes("_not-found"))
        .sort((a, b) => (a.match(/\[/g)?.length ?? 0) - (b.match(/\[/g)?.length ?? 0) || a.localeCompare(b))[0];
      if (!page) throw new Error(`server action ${entry.exportedName} is served by no page`);
      const pageSegments = page
        .split("/")
        .slice(1, -1)
        .filter((s) => !/^\(.*\)$/.test(s));
      return {
        id,
        file: entry.filename,
        name: entry.exportedName,
        pageSegments,
        takesNoInput: declaredWithoutParameters(entry.filename, entry.exportedName),
      };
    })
    .sort((a, b) => a.file.localeCompare(b.file) || a.name.localeCompare(b.name));
}

/**
 * Whether the action takes no input: a plain `export async function name()`, or one made by
 * `action()` (lib/http/action.ts) whose schema is `z.undefined()` (the buttons that send nothing).
 */
function declaredWithoutParameters(file: string, name: string): boolean {
  const src = readFileSync(file, "utf8");
  const m = src.match(new RegExp(`export\\s+(?:async\\s+)?function\\s+${name}\\s*\\(([^)]*)\\)`));
  if (m) return m[1].trim() === "";
  const wrapped = src.match(new RegExp(`export\\s+const\\s+${name}\\s*=\\s*action\\(\\s*([^,]+),`));
  if (!wrapped) throw new Error(`cannot find the declaration of ${name} in ${file}`);
  return wrapped[1].trim() === "z.undefined()";
}

/**
 * The body a browser sends for `action(prevState, formData)` through
 * `useActionState` (React's reply encoding: part "0" is the JSON argument
 * list, `$K1` points at the form whose fields travel as `1_<name>`).
 */
export function formActionBody(fields: [string, string][]): FormData {
  const body = new FormData();
  body.set("0", JSON.stringify(["$undefined", "$K1"]));
  for (const [k, v] of fields) body.append(`1_${k}`, v);
  return body;
}

/** The headers of a fetch-driven action call, as Next's client sends them. */
export function actionHeaders(id: string, origin: string): Record<string, string> {
  return { "next-action": id, origin, accept: "text/x-component" };
}

export type ActionAnswer = {
  status: number;
  redirect: string | null;
  outcome: "ok" | "refused" | "other";
  body: string;
};

/** What an action call came to: the HTTP status, the redirect Next passes in a header, and the result's `ok`. */
export async function readActionAnswer(res: Response): Promise<ActionAnswer> {
  const body = await res.text();
  const redirect = res.headers.get("x-action-redirect");
  const outcome = /"ok":false/.test(body) ? "refused" : /"ok":true/.test(body) ? "ok" : "other";
  return { status: res.status, redirect, outcome, body: body.slice(0, 400) };
}
