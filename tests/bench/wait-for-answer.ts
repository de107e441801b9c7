import type { ChildProcess } from "node:child_process";

/**
 * Waits until `url` answers 2xx, polling every 100 ms for at most `ms`;
 * fails at once when one of `processes` (the server starting, say) has exited.
 */
export async function waitForAnswer(url: string, processes: ChildProcess[] = [], ms = 30_000): Promise<void> {
  const started = Date.now();
  for (;;) {
    const up = await fetch(url)
      .then((r) => r.ok)
      .catch(() => false);
    if (up) return;
    if (processes.some((p) => p.exitCode !== null))
      throw new Error(`${url}: a process it needs stopped while starting`);
    if (Date.now() - started > ms) throw new Error(`${url} did not answer in ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
