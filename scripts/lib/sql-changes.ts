import pg from "pg";
import { diffSources, readSources } from "./sql-sources";

/**
 * The SQL a new migration needs so the database ends as prisma/sql/ says: each
 * changed or new source whole, and a DROP for each object whose file was
 * deleted. `databaseUrl` holds the migrations' end state; `schemaSql` (the
 * schema change drafted before these) is applied to it first, then rolled back.
 */
export async function changedSources(databaseUrl: string, schemaSql: string): Promise<string[]> {
  if (schemaSql) {
    const c = new pg.Client({ connectionString: databaseUrl });
    await c.connect();
    await c.query(schemaSql).finally(() => c.end());
  }
  const drift = await diffSources(databaseUrl);
  const sources = readSources();
  const out: string[] = [];
  for (const d of drift) {
    const source = sources.find((s) => s.kind === d.kind && s.name === d.name);
    if (source && /^does not apply/.test(d.problem))
      console.warn(`prisma/sql/${d.kind}/${d.name}.sql ${d.problem}: add the DROP it needs above it in the draft`);
    if (source && !/defines some other object/.test(d.problem))
      out.push(`-- prisma/sql/${d.kind}/${d.name}.sql\n${source.sql.trimEnd()}`);
    else if (!source) out.push(dropStatement(d.kind, d.name));
    else throw new Error(`prisma/sql/${d.kind}/${d.name}.sql: ${d.problem}`);
  }
  return out;
}

function dropStatement(kind: string, name: string): string {
  if (kind === "triggers") {
    const [table, trigger] = name.split(".");
    return `DROP TRIGGER "${trigger}" ON "${table}";`;
  }
  if (kind === "views") return `DROP VIEW "${name}";`;
  // Every overload of the name: its file held them all.
  return `DROP FUNCTION "${name}";`;
}
