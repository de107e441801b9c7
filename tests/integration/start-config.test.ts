import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

// Runs the real `npm start` entry point with a broken setting: it must stop
// before touching anything, with one line that names the setting.
function start(env: Record<string, string>) {
  return spawnSync("npx", ["tsx", "scripts/start.ts"], {
    encoding: "utf8",
    timeout: 60_000,
    env: { ...process.env, DATABASE_URL: "", APP_ENV: "", CODEPLAN_DATA_DIR: ".data/never-created", ...env },
  });
}

describe("start-up settings", () => {
  it.each([
    [{ PORT: "eighty" }, "PORT"],
    [{ DATABASE_URL: "mysql://db/codeplan" }, "DATABASE_URL"],
    [{ APP_ENV: "staging" }, "APP_ENV"],
    [{ APP_ENV: "production" }, "DATABASE_URL"],
    [{ SMTP_URL: "mail.example.com" }, "SMTP_URL"],
  ])("a bad setting %o stops start-up with one line naming %s", (env, name) => {
    const r = start(env);
    expect(r.status).toBe(1);
    const lines = r.stderr.split("\n").filter((l) => l.trim() && !l.includes("npm warn"));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^codeplan: invalid setting ${name}: `));
    expect(r.stdout).not.toContain("PostgreSQL");
  });

  it("SEC-4: a real database with no APP_ENV is refused with one line naming the choice, before touching anything", () => {
    const r = start({ DATABASE_URL: "postgres://127.0.0.1:9/codeplan" });
    expect(r.status).toBe(1);
    const lines = r.stderr.split("\n").filter((l) => l.trim() && !l.includes("npm warn"));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^codeplan: DATABASE_URL is set but APP_ENV is not.*APP_ENV=production.*APP_ENV=development/,
    );
    expect(r.stdout).toBe("");
  });
});
