import type { ChildProcess } from "node:child_process";

/**
 * REL-1/REL-3: `npm start` keeps each of its processes running. One that dies
 * while nobody asked it to stop (a crash, SIGKILL, the OOM killer) is started
 * again after a short pause that doubles while it keeps dying young; one that
 * cannot stay up at all (it dies within `youngMs`, `maxQuickDeaths` times in a
 * row: a bad setting, a taken port) makes the whole start give up, as before.
 */
export type Supervised = {
  readonly name: string;
  /** The process now running, if any. */
  current: () => ChildProcess | undefined;
  /** SIGTERM, then SIGKILL after `graceMs`; no restart after this. */
  stop: (graceMs: number) => Promise<void>;
};

export type SuperviseOptions = {
  name: string;
  start: () => ChildProcess;
  log: (line: string) => void;
  onGiveUp: (code: number) => void;
  youngMs?: number;
  maxQuickDeaths?: number;
};

export function supervise(o: SuperviseOptions): Supervised {
  const youngMs = o.youngMs ?? 10_000;
  const maxQuick = o.maxQuickDeaths ?? 5;
  let child: ChildProcess | undefined;
  let stopping = false;
  let quickDeaths = 0;
  let pending: NodeJS.Timeout | undefined;

  const run = () => {
    pending = undefined;
    if (stopping) return;
    const startedAt = Date.now();
    const proc = o.start();
    child = proc;
    proc.once("exit", (code, signal) => {
      if (child === proc) child = undefined;
      if (stopping) return;
      quickDeaths = Date.now() - startedAt < youngMs ? quickDeaths + 1 : 0;
      const how = signal ? `signal ${signal}` : `exit ${code}`;
      if (quickDeaths >= maxQuick) {
        o.log(`${o.name} stopped (${how}) ${quickDeaths} times in a row right after starting; giving up`);
        return o.onGiveUp(code || 1);
      }
      const pause = Math.min(5000, 250 * 2 ** quickDeaths);
      o.log(`${o.name} stopped (${how}); starting it again in ${pause} ms`);
      pending = setTimeout(run, pause);
    });
  };
  run();

  return {
    name: o.name,
    current: () => child,
    async stop(graceMs) {
      stopping = true;
      if (pending) clearTimeout(pending);
      const proc = child;
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise((r) => proc.once("exit", r));
      proc.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, graceMs))]);
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill("SIGKILL");
        await exited;
      }
    },
  };
}
