import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { applyMigrations, listMigrations } from "../../lib/db/migrate";
import { setupFreshDatabase } from "../support/database";

const t = setupFreshDatabase();

async function query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []) {
  const c = new pg.Client({ connectionString: t.url });
  await c.connect();
  try {
    return (await c.query<T>(sql, params)).rows;
  } finally {
    await c.end();
  }
}

describe("migrations", () => {
  it("records every migration the way `prisma migrate deploy` does (name, sha256 checksum, finished)", async () => {
    const rows = await query<{
      migration_name: string;
      checksum: string;
      finished_at: Date | null;
      applied_steps_count: number;
    }>(
      `SELECT migration_name, checksum, finished_at, applied_steps_count FROM _prisma_migrations ORDER BY migration_name`,
    );
    const names = listMigrations();
    expect(rows.map((r) => r.migration_name)).toEqual(names);
    for (const r of rows) {
      const sql = readFileSync(path.join("prisma", "migrations", r.migration_name, "migration.sql"));
      expect(r.checksum).toBe(createHash("sha256").update(sql).digest("hex"));
      expect(r.finished_at).not.toBeNull();
      expect(r.applied_steps_count).toBe(1);
    }
  });

  it("applying again changes nothing, even from two processes at once", async () => {
    const [a, b] = await Promise.all([applyMigrations(t.url), applyMigrations(t.url)]);
    expect(a.applied).toEqual([]);
    expect(b.applied).toEqual([]);
    const [{ count }] = await query<{ count: string }>(`SELECT count(*) FROM _prisma_migrations`);
    expect(Number(count)).toBe(listMigrations().length);
  });

  it("audit log is append-only: UPDATE, DELETE and TRUNCATE are refused by the database", async () => {
    await query(`INSERT INTO audit_log (action, subject_type, created_at) VALUES ('x.test', 'test', now())`);
    await expect(query(`UPDATE audit_log SET action = 'tampered'`)).rejects.toThrow(/append-only/);
    await expect(query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
    await expect(query(`TRUNCATE audit_log`)).rejects.toThrow(/append-only/);
    const rows = await query<{ action: string }>(`SELECT action FROM audit_log`);
    expect(rows).toEqual([{ action: "x.test" }]);
  });

  it("users: e-mail must be stored normalised, and region/role/status only take their listed values", async () => {
    const insert = (email: string, extra = "") =>
      query(
        `INSERT INTO users (id, email, created_at, updated_at${extra ? ", status" : ""}) VALUES (gen_random_uuid(), $1, now(), now()${extra ? `, '${extra}'` : ""})`,
        [email],
      );
    await expect(insert("Mixed@Example.com")).rejects.toThrow(/users_email_normalised/);
    await expect(insert("ok@example.com", "deleted")).rejects.toThrow(/invalid input value for enum/);
    await insert("ok@example.com");
    await expect(insert("ok@example.com")).rejects.toThrow(/users_email_key/);
  });
});

describe("migrations: edited after applying", () => {
  it("a migration whose file changed after it was applied is reported, not re-run", async () => {
    const { mkdtempSync, mkdirSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const dir = mkdtempSync(path.join(tmpdir(), "migs-"));
    mkdirSync(path.join(dir, "001_t"));
    writeFileSync(path.join(dir, "001_t", "migration.sql"), "CREATE TABLE edited_probe (id int);");
    expect((await applyMigrations(t.url, dir)).applied).toEqual(["001_t"]);
    writeFileSync(path.join(dir, "001_t", "migration.sql"), "CREATE TABLE edited_probe (id bigint);");
    const again = await applyMigrations(t.url, dir);
    expect(again.applied).toEqual([]);
    expect(again.edited).toEqual(["001_t"]);
  });
});

describe("migrations: SQL sources (prisma/sql)", () => {
  it("each SQL function, trigger and view of the migrated database has one source file, and applying the sources changes no definition", async () => {
    const { diffSources, readSources } = await import("../../scripts/lib/sql-sources");
    expect(await diffSources(t.url)).toEqual([]);
    const sources = readSources();
    expect(sources.map((s) => s.name)).toContain("quota_consume");
    // Plain SQL: no source writes a semicolon as \073.
    expect(sources.filter((s) => s.sql.includes("\\073")).map((s) => s.name)).toEqual([]);
  });

  it("a source that differs from the migrations' end state is reported", async () => {
    const { diffSources, readSources } = await import("../../scripts/lib/sql-sources");
    const sources = readSources().map((s) =>
      s.name === "audit_log_refuse_change" ? { ...s, sql: s.sql.replace("append-only", "append-only, really") } : s,
    );
    expect(await diffSources(t.url, sources)).toEqual([
      {
        kind: "functions",
        name: "audit_log_refuse_change",
        problem: "its source differs from the migrations' end state",
      },
    ]);
  });

  it("a migration marked as applied whole keeps dollar-quoted bodies and semicolons in comments", async () => {
    const { mkdtempSync, mkdirSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { WHOLE_FILE_MARKER } = await import("../../lib/db/migrate");
    const dir = mkdtempSync(path.join(tmpdir(), "migs-"));
    mkdirSync(path.join(dir, "001_whole"));
    writeFileSync(
      path.join(dir, "001_whole", "migration.sql"),
      `${WHOLE_FILE_MARKER}\n-- a comment; with a semicolon\nCREATE FUNCTION whole_probe() RETURNS int LANGUAGE plpgsql AS $$\nDECLARE x int;\nBEGIN x := 41; RETURN x + 1; END\n$$;\n`,
    );
    expect((await applyMigrations(t.url, dir)).applied).toEqual(["001_whole"]);
    expect(await query<{ v: number }>(`SELECT whole_probe() AS v`)).toEqual([{ v: 42 }]);
  });
});
