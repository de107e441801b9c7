import { describe, expect, it } from "vitest";
import type { PolicyConfig, RecentCall } from "../../lib/policy/define";
import { keySharing } from "../../lib/policy/rules/key-sharing";
import { isCodingClient, notCoding } from "../../lib/policy/rules/not-coding";

const config: PolicyConfig = {
  codingClients: ["claude-cli", "claude-code", "cline", "opencode", "kilo-code", "roo-code", "crush", "goose"],
  notCoding: { minCalls: 20, thresholdBps: 8000 },
  sharing: {
    windowMinutes: 10,
    maxNetworksPerKey: 3,
    maxClientsPerKey: 6,
    maxDevicesPerKey: 2,
    perSubscription: { maxNetworks: 4, maxClients: 8, maxDevices: 3 },
  },
};
const t0 = new Date("2027-01-01T10:00:00Z");
const call = (over: Partial<RecentCall> = {}, minutes = 0): RecentCall => ({
  at: new Date(t0.getTime() + minutes * 60_000),
  keyId: "k1",
  client: "claude-cli",
  network: "203.0.113.0/24",
  agentShaped: true,
  ...over,
});

describe("usage-policy rules, pure over recent calls", () => {
  it("POLICY-1: coding tools are known by the start of their client name, in any case", () => {
    expect(isCodingClient("Claude-CLI/2.1.3", config.codingClients)).toBe(true);
    expect(isCodingClient("opencode", config.codingClients)).toBe(true);
    expect(isCodingClient("python-requests", config.codingClients)).toBe(false);
    expect(isCodingClient("", config.codingClients)).toBe(false);
  });

  it("POLICY-1: a scraper's calls (unknown client, no tools, no system prompt) at 80 % of 20 or more calls are flagged as not coding", () => {
    const coding = Array.from({ length: 4 }, (_, i) => call({}, i));
    const scraper = Array.from({ length: 16 }, (_, i) => call({ client: "python-requests", agentShaped: false }, i));
    expect(notCoding.evaluate([...coding, ...scraper], config)).toEqual({
      calls: 20,
      offPattern: 16,
      shareBps: 8000,
      thresholdBps: 8000,
      clients: ["python-requests"],
    });
    // Too few calls to judge, or under the threshold.
    expect(notCoding.evaluate(scraper.slice(0, 15), config)).toBeNull();
    expect(notCoding.evaluate([...coding, call(), ...scraper.slice(0, 15)], config)).toBeNull();
  });

  it("POLICY-1: an unknown client that sends agent-shaped requests (tools, a system prompt) is a coding tool we do not know yet, not a violation", () => {
    const calls = Array.from({ length: 30 }, (_, i) => call({ client: "my-own-agent", agentShaped: true }, i));
    expect(notCoding.evaluate(calls, config)).toBeNull();
  });

  it("POLICY-3: one key from four networks within ten minutes is sharing; three is not, nor four spread over an hour", () => {
    const nets = ["198.51.100.0/24", "203.0.113.0/24", "192.0.2.0/24", "100.64.1.0/24"];
    const four = nets.map((network, i) => call({ network }, i * 2));
    expect(keySharing.evaluate(four, config)).toMatchObject({ keyId: "k1", networks: nets, max: 3 });
    expect(keySharing.evaluate(four.slice(0, 3), config)).toBeNull();
    expect(
      keySharing.evaluate(
        nets.map((network, i) => call({ network }, i * 15)),
        config,
      ),
    ).toBeNull();
  });

  it("POLICY-3: networks are counted per key: two keys from two networks each are not one shared key", () => {
    const calls = [
      call({ keyId: "a", network: "198.51.100.0/24" }, 0),
      call({ keyId: "a", network: "203.0.113.0/24" }, 1),
      call({ keyId: "b", network: "192.0.2.0/24" }, 2),
      call({ keyId: "b", network: "100.64.1.0/24" }, 3),
    ];
    expect(keySharing.evaluate(calls, config)).toBeNull();
  });
});
