import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, type WriteStream } from "node:fs";

/**
 * The chaos run's supervisor: it starts each process as `npm start` would,
 * restarts it when it dies (as systemd or a container runtime would), and
 * can SIGKILL it at any moment. Output goes to a log file per process, so a
 * crash's last words can be read after the run.
 */
export type Supervised = {
  name: string;
  /** SIGKILL now (even while it is still starting); the supervisor restarts it in the background. */
  crash(): Promise<void>;
  /** Whether it serves now. */
  up(): Promise<boolean>;
  start(): Promise<void>;
  stop(): Promise<void>;
  restarts: number;
};

type NodeProcess = {
  name: string;
  script: string;
  args?: string[];
  env: NodeJS.ProcessEnv;
  /** Resolves true once the process serves (a health check), polled after each start. */
  ready: () => Promise<boolean>;
  logFile: string;
};

// Every child the supervisor started, so that a run that dies (an exception, Ctrl-C) leaves none behind on its ports.
const children = new Set<ChildProcess>();
export function killAllChildren() {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitFor(what: string, ok: () => Promise<boolean>, timeoutMs = 120_000) {
  const until = Date.now() + timeoutMs;
  while (!(await ok().catch(() => false))) {
    if (Date.now() > until) throw new Error(`${what} did not come up in ${timeoutMs / 1000} s`);
    await sleep(100);
  }
}

export function superviseNode(p: NodeProcess): Supervised {
  let child: ChildProcess | undefined;
  let stopping = false;
  let log: WriteStream | undefined;
  const self: Supervised = {
    name: p.name,
    restarts: 0,
    async start() {
      log ??= createWriteStream(p.logFile, { flags: "a" });
      // node --import tsx, not the tsx CLI: the CLI runs the script in a child of its own, which a SIGKILL to the CLI would orphan.
      const proc = spawn(process.execPath, ["--import", "tsx", p.script, ...(p.args ?? [])], {
        env: p.env,
        stdio: ["ignore", "pipe", "pipe"],
      });
      child = proc;
      children.add(proc);
      proc.once("exit", () => children.delete(proc));
      proc.stdout?.pipe(log, { end: false });
      proc.stderr?.pipe(log, { end: false });
      proc.once("exit", (code, signal) => {
        log?.write(`\n[supervisor] ${p.name} exited (${signal ?? code})\n`);
        if (stopping || child !== proc) return;
        // Died on its own (not by our hand): restart it too, and count it.
        self.restarts++;
        setTimeout(() => void self.start().catch(() => {}), 200);
      });
      await waitFor(p.name, async () => {
        if (proc.exitCode !== null || proc.signalCode !== null)
          throw new Error(`${p.name} exited while starting (see ${p.logFile})`);
        return p.ready();
      });
    },
    async crash() {
      const proc = child;
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
      // The exit handler restarts it, as it would after any death.
      const exited = new Promise((r) => proc.once("exit", r));
      proc.kill("SIGKILL");
      await exited;
    },
    up: async () =>
      !!child && child.exitCode === null && child.signalCode === null && (await p.ready().catch(() => false)),
    async stop() {
      stopping = true;
      const proc = child;
      if (proc && proc.exitCode === null && proc.signalCode === null) {
        const exited = new Promise((r) => proc.once("exit", r));
        proc.kill("SIGTERM");
        await Promise.race([exited, sleep(5000)]);
        if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGKILL");
      }
      log?.end();
    },
  };
  return self;
}
