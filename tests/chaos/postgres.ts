import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres, type EmbeddedServer } from "../../lib/db/embedded";
import type { Supervised } from "./supervisor";

/**
 * The embedded Postgres under supervision. A crash is a SIGKILL to the
 * postmaster and every backend at once (a power cut for the database): no
 * shutdown checkpoint, so the restart runs Postgres's own crash recovery from
 * the write-ahead log, which is what must keep every acknowledged commit.
 */
export function supervisePostgres(dataDir: string, port: number): Supervised & { url: (db: string) => string } {
  let server: EmbeddedServer | undefined;
  let restarting = false;
  const pidOf = () => Number(readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
  const childrenOf = (pid: number) => {
    try {
      return execFileSync("pgrep", ["-P", String(pid)])
        .toString()
        .split("\n")
        .filter(Boolean)
        .map(Number);
    } catch {
      return [];
    }
  };
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const self = {
    name: "postgres",
    restarts: 0,
    url: (db: string) => server!.url(db),
    async start() {
      server = await startEmbeddedPostgres({ dataDir, port });
      // Crash recovery may still be replaying when the port opens: wait for a query to answer.
      for (let i = 0; ; i++) {
        const c = new pg.Client({ connectionString: server.url("postgres") });
        c.on("error", () => {});
        const ok = await c
          .connect()
          .then(() => c.query("SELECT 1"))
          .then(
            () => true,
            () => false,
          );
        await c.end().catch(() => {});
        if (ok) return;
        if (i > 600) throw new Error("postgres did not come back");
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    up: async () => !restarting,
    async crash() {
      if (restarting) return;
      restarting = true;
      const pm = pidOf();
      const all = [pm, ...childrenOf(pm)];
      for (const pid of all) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          /* already gone */
        }
      }
      for (let i = 0; i < 200 && all.some(alive); i++) await new Promise((r) => setTimeout(r, 50));
      self.restarts++;
      // Restarted in the background, as a supervisor would: the run goes on while Postgres recovers.
      void self
        .start()
        .catch((e: unknown) => console.error(`chaos: postgres did not restart: ${e}`))
        .finally(() => (restarting = false));
    },
    async stop() {
      await server?.stop().catch(() => {});
    },
  };
  return self;
}
