import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";

/**
 * prisma/sql/ holds the one current source of every SQL function, trigger and
 * view: one file each, plain SQL with real semicolons. Migrations are history
 * (they may write a body several times, or with `\073`); these files are what
 * the database must end up with, and db:check compares the two.
 */
export const SQL_DIR = path.join(process.cwd(), "prisma", "sql");

// Applied in this order: views and triggers name functions.
export const KINDS = ["functions", "views", "triggers"] as const;
export type Kind = (typeof KINDS)[number];

export type Source = { kind: Kind; name: string; file: string; sql: string };

export function readSources(dir = SQL_DIR): Source[] {
  return KINDS.flatMap((kind) => {
    const sub = path.join(dir, kind);
    if (!existsSync(sub)) return [];
    return readdirSync(sub)
      .filter((f) => f.endsWith(".sql"))
      .sort()
      .map((f) => ({
        kind,
        name: f.slice(0, -4),
        file: path.join(sub, f),
        sql: readFileSync(path.join(sub, f), "utf8"),
      }));
  });
}

/** One object as the database defines it; `name` is its source file's name. */
export type Definition = { kind: Kind; name: string; sql: string };

// Functions that extensions own are theirs, not ours.
const FUNCTIONS = `SELECT p.proname AS name, pg_get_functiondef(p.oid) AS sql
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
  WHERE n.nspname = 'public' AND p.prokind IN ('f', 'p')
    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
  ORDER BY p.proname, pg_get_function_identity_arguments(p.oid)`;
// Trigger names are unique per table only, so the file is <table>.<trigger>.
const TRIGGERS = `SELECT c.relname || '.' || t.tgname AS name, pg_get_triggerdef(t.oid, true) AS sql
  FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = 'public' AND NOT t.tgisinternal ORDER BY 1`;
const VIEWS = `SELECT c.relname AS name, pg_get_viewdef(c.oid, true) AS sql
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = 'public' AND c.relkind = 'v' ORDER BY 1`;

/** Every function, trigger and view in the database, written as a source file would hold it. */
export async function readDefinitions(c: pg.Client): Promise<Definition[]> {
  const rows = async (sql: string) => (await c.query<{ name: string; sql: string }>(sql)).rows;
  const functions = new Map<string, string[]>();
  for (const r of await rows(FUNCTIONS))
    functions.set(r.name, [...(functions.get(r.name) ?? []), `${r.sql.trimEnd()};`]);
  return [
    // Overloads of one name share its file.
    ...[...functions].map(([name, defs]) => ({ kind: "functions" as const, name, sql: `${defs.join("\n\n")}\n` })),
    ...(await rows(VIEWS)).map((r) => ({
      kind: "views" as const,
      name: r.name,
      sql: `CREATE OR REPLACE VIEW public.${r.name} AS\n${r.sql.trimEnd()}\n`,
    })),
    ...(await rows(TRIGGERS)).map((r) => ({
      kind: "triggers" as const,
      name: r.name,
      sql: triggerSource(r.name, r.sql),
    })),
  ];
}

/** A trigger's file replaces it whole: constraint triggers have no CREATE OR REPLACE, so those are dropped first. */
function triggerSource(name: string, def: string): string {
  if (!def.startsWith("CREATE CONSTRAINT TRIGGER"))
    return `${def.replace(/^CREATE TRIGGER/, "CREATE OR REPLACE TRIGGER")};\n`;
  const [table, trigger] = name.split(".");
  return `DROP TRIGGER IF EXISTS ${trigger} ON ${table};\n${def};\n`;
}

/** Whitespace is not meaning: compare definitions with each run of it as one space. */
export function normalize(sql: string): string {
  return sql.replace(/\s+/g, " ").trim();
}

export type SourceDrift = { kind: Kind; name: string; problem: string };

/**
 * Applies every source to the database built from the migrations, inside a
 * transaction it rolls back, and reports each object whose definition that
 * changed (the source and the migrations disagree), each source that failed to
 * apply, and each object with no source. Postgres itself renders both sides,
 * so formatting outside a body does not count.
 */
export async function diffSources(databaseUrl: string, sources = readSources()): Promise<SourceDrift[]> {
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    const key = (d: { kind: Kind; name: string }) => `${d.kind}/${d.name}`;
    const before = new Map((await readDefinitions(c)).map((d) => [key(d), normalize(d.sql)]));
    const drift: SourceDrift[] = [];
    await c.query("BEGIN");
    for (const s of sources) {
      await c.query("SAVEPOINT source");
      try {
        await c.query(s.sql);
      } catch (e) {
        await c.query("ROLLBACK TO SAVEPOINT source");
        drift.push({
          kind: s.kind,
          name: s.name,
          problem: `does not apply over the migrations: ${(e as Error).message}`,
        });
      }
    }
    const after = new Map((await readDefinitions(c)).map((d) => [key(d), normalize(d.sql)]));
    await c.query("ROLLBACK");
    const sourced = new Set(sources.map(key));
    for (const [k, def] of after) {
      const [kind, name] = k.split("/") as [Kind, string];
      if (!before.has(k)) drift.push({ kind, name, problem: "defined by its source but by no migration" });
      else if (before.get(k) !== def)
        drift.push({ kind, name, problem: "its source differs from the migrations' end state" });
      else if (!sourced.has(k))
        drift.push({ kind, name, problem: `defined by the migrations but has no file prisma/sql/${k}.sql` });
    }
    for (const s of sources) {
      if (!after.has(key(s)))
        drift.push({ kind: s.kind, name: s.name, problem: "its file defines some other object (or nothing)" });
    }
    return drift;
  } finally {
    await c.end();
  }
}
