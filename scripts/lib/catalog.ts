import pg from "pg";

/**
 * A text snapshot of what Prisma models in a database: enums, columns, keys,
 * foreign keys and indexes. CHECK constraints, triggers and functions are left
 * out on purpose, and so are partial indexes: schema.prisma cannot express them, so they live only in
 * hand-written migration SQL.
 */
export async function catalogSnapshot(databaseUrl: string): Promise<string[]> {
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    const q = async (sql: string) => (await c.query<{ line: string }>(sql)).rows.map((r) => r.line);
    const lines = [
      ...(await q(`SELECT 'enum ' || t.typname || ' (' || string_agg(e.enumlabel, ', ' ORDER BY e.enumsortorder) || ')' AS line
        FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE n.nspname = 'public' GROUP BY t.typname`)),
      ...(await q(`SELECT 'column ' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
          || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
          || COALESCE(' default ' || pg_get_expr(d.adbin, d.adrelid), '') AS line
        FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
          AND c.relname <> '_prisma_migrations'`)),
      ...(await q(`SELECT 'constraint ' || c.relname || '.' || k.conname || ' ' || pg_get_constraintdef(k.oid) AS line
        FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND k.contype IN ('p', 'u', 'f', 'x') AND c.relname <> '_prisma_migrations'`)),
      // Partial indexes (… WHERE …) are hand-written invariants like CHECKs: left out.
      ...(await q(`SELECT 'index ' || indexdef AS line FROM pg_indexes
        WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' AND indexdef NOT LIKE '% WHERE %'`)),
    ];
    return lines.sort();
  } finally {
    await c.end();
  }
}
