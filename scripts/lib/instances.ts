import type { Env } from "../../lib/config/env";

/**
 * REL-2: how many of each process `npm start` runs, and on which ports. The
 * stateless tier scales on one database: web apps on PORT, PORT+1, …, decision
 * servers on DECISION_PORT, DECISION_PORT+1, …, workers without a port.
 * `--instances N` sets all three, but for those WEB_INSTANCES,
 * DECISION_INSTANCES or WORKER_INSTANCES set on their own (`--instances 2`
 * with WEB_INSTANCES=0: a gateway tier of two decision servers and two
 * workers, without web apps). When the decision ports were not
 * chosen and the web apps' range reaches them, they move to just after it.
 */
export class InstanceError extends Error {}

export type InstancePlan = { web: number[]; decision: number[]; workers: number; summary: string };

export function instancePlan(config: Env, argv: string[], raw: Record<string, string | undefined>): InstancePlan {
  let web = config.WEB_INSTANCES;
  let decision = config.DECISION_INSTANCES;
  let workers = config.WORKER_INSTANCES;
  const at = argv.findIndex((a) => a === "--instances" || a.startsWith("--instances="));
  if (at >= 0) {
    const value = argv[at].includes("=") ? argv[at].split("=")[1] : argv[at + 1];
    if (!value || !/^\d{1,2}$/.test(value) || Number(value) < 1 || Number(value) > 16)
      throw new InstanceError("invalid setting --instances: must be a whole number from 1 to 16");
    const n = Number(value);
    if (!raw.WEB_INSTANCES) web = n;
    if (!raw.DECISION_INSTANCES) decision = n;
    if (!raw.WORKER_INSTANCES) workers = n;
  }
  const webPorts = range(config.PORT, web);
  let decisionStart = config.DECISION_PORT;
  if (overlaps(webPorts, range(decisionStart, decision))) {
    if (raw.DECISION_PORT)
      throw new InstanceError(
        `invalid setting DECISION_PORT: ports ${decisionStart}–${decisionStart + decision - 1} overlap the web apps' ${config.PORT}–${config.PORT + web - 1}`,
      );
    decisionStart = config.PORT + web;
  }
  const decisionPorts = range(decisionStart, decision);
  if (decisionPorts.concat(webPorts).some((p) => p > 65535))
    throw new InstanceError("invalid setting PORT: the instances' ports run past 65535");
  const list = (ports: number[]) => (ports.length ? `port${ports.length > 1 ? "s" : ""} ${ports.join(", ")}` : "none");
  const summary = `instances: ${web} web app${web === 1 ? "" : "s"} (${list(webPorts)}), ${decision} decision server${decision === 1 ? "" : "s"} (${list(decisionPorts)}), ${workers} job worker${workers === 1 ? "" : "s"}, one database`;
  return { web: webPorts, decision: decisionPorts, workers, summary };
}

function range(start: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => start + i);
}

function overlaps(a: number[], b: number[]) {
  return a.some((p) => b.includes(p));
}
