import { describe, expect, it } from "vitest";
import { parseEnv } from "../../lib/config/env";
import { InstanceError, instancePlan } from "../../scripts/lib/instances";

const plan = (raw: Record<string, string>, argv: string[] = []) => instancePlan(parseEnv(raw), argv, raw);

describe("REL-2: how many processes npm start runs, and where", () => {
  it("REL-2: one of each by default; --instances N runs N of each on consecutive ports, the decision servers after the web apps", () => {
    expect(plan({})).toMatchObject({ web: [3000], decision: [3001], workers: 1 });
    const two = plan({}, ["--instances", "2"]);
    expect(two).toMatchObject({ web: [3000, 3001], decision: [3002, 3003], workers: 2 });
    expect(two.summary).toBe(
      "instances: 2 web apps (ports 3000, 3001), 2 decision servers (ports 3002, 3003), 2 job workers, one database",
    );
    expect(plan({ PORT: "4000", DECISION_PORT: "5000" }, ["--instances=3"])).toMatchObject({
      web: [4000, 4001, 4002],
      decision: [5000, 5001, 5002],
      workers: 3,
    });
  });

  it("REL-2: a count set on its own stays as set under --instances (a gateway tier without web apps)", () => {
    expect(plan({ WEB_INSTANCES: "0" }, ["--instances", "2"])).toMatchObject({
      web: [],
      decision: [3001, 3002],
      workers: 2,
    });
    expect(plan({ WORKER_INSTANCES: "3", DECISION_INSTANCES: "2" })).toMatchObject({
      web: [3000],
      decision: [3001, 3002],
      workers: 3,
    });
  });

  it("REL-2: a bad count or chosen ports that collide stop the start with one line naming the setting", () => {
    expect(() => plan({}, ["--instances", "0"])).toThrow(InstanceError);
    expect(() => plan({}, ["--instances", "two"])).toThrow(/--instances/);
    expect(() => plan({ DECISION_PORT: "3001" }, ["--instances", "2"])).toThrow(/DECISION_PORT/);
    expect(() => parseEnv({ WEB_INSTANCES: "-1" })).toThrow(/WEB_INSTANCES/);
  });
});
