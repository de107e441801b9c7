import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";

/**
 * CPU time used by processes, read from /proc (Linux), so a benchmark can say
 * what a call costs each process whatever else the machine is running: on a
 * shared machine the rates move with the neighbours' load, the CPU per call
 * much less.
 */

const ticksPerSecond = Number(spawnSync("getconf", ["CLK_TCK"]).stdout?.toString().trim()) || 100;

type Stat = { ppid: number; ms: number; childrenMs: number };

function statOf(pid: number): Stat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name, in parentheses, may hold spaces: the fields are counted after its closing one.
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    const tick = 1000 / ticksPerSecond;
    return {
      ppid: Number(fields[1]),
      ms: (Number(fields[11]) + Number(fields[12])) * tick,
      childrenMs: (Number(fields[13]) + Number(fields[14])) * tick,
    };
  } catch {
    return null;
  }
}

/** CPU milliseconds (user and system) a process has used; 0 when it is gone or /proc is missing. */
export function processCpuMs(pid: number | undefined): number {
  return pid ? (statOf(pid)?.ms ?? 0) : 0;
}

/**
 * CPU milliseconds a server and its children have used: Postgres's postmaster,
 * its backends (live ones read, ended ones counted in the postmaster's reaped
 * children) and its background workers.
 */
export function treeCpuMs(rootPid: number | undefined): number {
  if (!rootPid) return 0;
  const root = statOf(rootPid);
  if (!root) return 0;
  let ms = root.ms + root.childrenMs;
  for (const name of readdirSync("/proc")) {
    const pid = Number(name);
    if (!pid || pid === rootPid) continue;
    const s = statOf(pid);
    if (s?.ppid === rootPid) ms += s.ms;
  }
  return ms;
}

/** The postmaster of an embedded server, from its data folder's postmaster.pid. */
export function postmasterPid(dataDir: string): number | undefined {
  const file = `${dataDir}/postmaster.pid`;
  if (!existsSync(file)) return undefined;
  return Number(readFileSync(file, "utf8").split("\n")[0]) || undefined;
}
