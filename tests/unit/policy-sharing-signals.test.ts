import { describe, expect, it } from "vitest";
import type { PolicyConfig, RecentCall } from "../../lib/policy/define";
import { readEvidence } from "../../lib/policy/evidence";
import { keyClients } from "../../lib/policy/rules/key-clients";
import { keyDevices } from "../../lib/policy/rules/key-devices";
import { subscriptionSharing } from "../../lib/policy/rules/subscription-sharing";
import { callerSignalsOf, clientSignalsOf, identityOf } from "../../lib/policy/signals";

const config: PolicyConfig = {
  codingClients: ["claude-cli"],
  notCoding: { minCalls: 20, thresholdBps: 8000 },
  sharing: {
    windowMinutes: 10,
    maxNetworksPerKey: 3,
    maxClientsPerKey: 3,
    maxDevicesPerKey: 2,
    perSubscription: { maxNetworks: 4, maxClients: 5, maxDevices: 3 },
  },
};
const t0 = new Date("2027-01-01T10:00:00Z");
const call = (over: Partial<RecentCall> = {}, minutes = 0): RecentCall => ({
  at: new Date(t0.getTime() + minutes * 60_000),
  keyId: "k1",
  client: "claude-cli",
  network: "203.0.113.0/24",
  agentShaped: true,
  clientId: null,
  device: null,
  ...over,
});
const CC_UA = "claude-cli/2.0.14 (external, cli)";
const ccUser = (install: string, session: string) =>
  `user_${install.repeat(64).slice(0, 64)}_account_6f1c1f9e-1111-4c6e-9a0b-1f2e3d4c5b6a_session_${session}`;
const S1 = "0a1b2c3d-0000-4000-8000-000000000001";
const S2 = "0a1b2c3d-0000-4000-8000-000000000002";

describe("POLICY-3 signals: clients and devices, hashed", () => {
  it("POLICY-3: a Claude Code session is a client and its installation a device; both are short hashes, never what was sent", () => {
    const a = clientSignalsOf(CC_UA, ccUser("a", S1));
    const sameInstallOtherSession = clientSignalsOf(CC_UA, ccUser("a", S2));
    const otherInstall = clientSignalsOf(CC_UA, ccUser("b", S1));
    expect(a.clientId).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(a.device).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(sameInstallOtherSession.device).toBe(a.device);
    expect(sameInstallOtherSession.clientId).not.toBe(a.clientId);
    expect(otherInstall.device).not.toBe(a.device);
    expect(JSON.stringify(a)).not.toContain(S1.slice(0, 8));
    // The same session under another User-Agent is another client.
    expect(clientSignalsOf("claude-cli/2.0.15 (external, cli)", ccUser("a", S1)).clientId).not.toBe(a.clientId);
  });

  it("POLICY-3: an OpenAI-wire `user` is a client id but no device; a bare User-Agent is a client; nothing at all is neither", () => {
    const u = clientSignalsOf("opencode/0.5", "alice");
    expect(u.clientId).not.toBeNull();
    expect(u.device).toBeNull();
    expect(clientSignalsOf("opencode/0.5", "bob").clientId).not.toBe(u.clientId);
    expect(clientSignalsOf("opencode/0.5", null)).toEqual({ clientId: expect.any(String), device: null });
    expect(clientSignalsOf(null, null)).toEqual({ clientId: null, device: null });
  });

  it("POLICY-3: the identity is read from Anthropic's metadata.user_id or OpenAI's user, and an overlong one is ignored", () => {
    expect(identityOf({ metadata: { user_id: "user_x" } })).toBe("user_x");
    expect(identityOf({ user: "alice" })).toBe("alice");
    expect(identityOf({ metadata: {}, user: "alice" })).toBe("alice");
    expect(identityOf({ user: "x".repeat(301) })).toBeNull();
    expect(identityOf({ metadata: { user_id: 42 } })).toBeNull();
    expect(
      callerSignalsOf({ userAgent: CC_UA, network: "n", agentShaped: true, identity: ccUser("a", S1) }),
    ).toMatchObject({ client: "claude-cli", network: "n", agentShaped: true });
  });
});

describe("POLICY-3 rules over clients and devices", () => {
  it("POLICY-3: four client sessions on one key within ten minutes are flagged (limit 3); three are not, nor four spread over an hour", () => {
    const four = ["c1", "c2", "c3", "c4"].map((clientId, i) => call({ clientId }, i * 2));
    expect(keyClients.evaluate(four, config)).toMatchObject({
      keyId: "k1",
      clients: 4,
      names: ["claude-cli"],
      max: 3,
      windowMinutes: 10,
    });
    expect(keyClients.evaluate(four.slice(0, 3), config)).toBeNull();
    expect(
      keyClients.evaluate(
        ["c1", "c2", "c3", "c4"].map((clientId, i) => call({ clientId }, i * 15)),
        config,
      ),
    ).toBeNull();
    // Calls without a client id are not a client.
    expect(keyClients.evaluate([...four.slice(0, 3), call({ clientId: null }, 7)], config)).toBeNull();
  });

  it("POLICY-3: three devices on one key within the window are flagged (limit 2); clients on two keys are counted per key", () => {
    const three = ["d1", "d2", "d3"].map((device, i) => call({ device }, i));
    expect(keyDevices.evaluate(three, config)).toMatchObject({ keyId: "k1", devices: 3, max: 2 });
    expect(keyDevices.evaluate(three.slice(0, 2), config)).toBeNull();
    const split = [
      call({ keyId: "a", device: "d1" }),
      call({ keyId: "a", device: "d2" }),
      call({ keyId: "b", device: "d3" }),
    ];
    expect(keyDevices.evaluate(split, config)).toBeNull();
  });

  it("POLICY-3: devices, networks or clients spread over several keys, each key under its own limit, are flagged for the subscription", () => {
    // Two devices per key (allowed), four over both keys (the subscription allows three).
    const devices = [
      call({ keyId: "a", device: "d1" }, 0),
      call({ keyId: "a", device: "d2" }, 1),
      call({ keyId: "b", device: "d3" }, 2),
      call({ keyId: "b", device: "d4" }, 3),
    ];
    expect(keyDevices.evaluate(devices, config)).toBeNull();
    expect(subscriptionSharing.evaluate(devices, config)).toMatchObject({
      signal: "devices",
      count: 4,
      keys: 2,
      keyIds: ["a", "b"],
      max: 3,
    });
    const nets = ["198.51.100.0/24", "203.0.113.0/24", "192.0.2.0/24", "100.64.1.0/24", "100.64.2.0/24"];
    const networks = nets.map((network, i) => call({ keyId: i < 3 ? "a" : "b", network }, i));
    expect(subscriptionSharing.evaluate(networks, config)).toMatchObject({
      signal: "networks",
      count: 5,
      keys: 2,
      max: 4,
    });
    const clients = Array.from({ length: 6 }, (_, i) =>
      call({ keyId: i % 3 === 0 ? "a" : i % 3 === 1 ? "b" : "c", clientId: `c${i}` }, i),
    );
    expect(subscriptionSharing.evaluate(clients, config)).toMatchObject({
      signal: "clients",
      count: 6,
      keys: 3,
      max: 5,
    });
    // Under the subscription's limits, or spread over more than the window: nothing.
    expect(subscriptionSharing.evaluate(devices.slice(0, 3), config)).toBeNull();
    expect(
      subscriptionSharing.evaluate(
        devices.map((c, i) => ({ ...c, at: new Date(t0.getTime() + i * 15 * 60_000) })),
        config,
      ),
    ).toBeNull();
  });

  it("POLICY-3: one key alone over the subscription's limits is the per-key rules' business, not a spread over keys", () => {
    const oneKey = ["d1", "d2", "d3", "d4"].map((device, i) => call({ device }, i));
    expect(subscriptionSharing.evaluate(oneKey, config)).toBeNull();
    expect(keyDevices.evaluate(oneKey, config)).not.toBeNull();
  });

  it("POLICY-3: the new rules' evidence reads back in the shape the screens show, and a malformed one reads as other", () => {
    const e = keyClients.evaluate(
      ["c1", "c2", "c3", "c4"].map((clientId, i) => call({ clientId }, i)),
      config,
    );
    expect(readEvidence("key_clients", JSON.parse(JSON.stringify(e)))).toMatchObject({
      rule: "key_clients",
      keyId: "k1",
      clients: 4,
      at: new Date(t0.getTime() + 3 * 60_000),
    });
    const s = subscriptionSharing.evaluate(
      [
        call({ keyId: "a", device: "d1" }),
        call({ keyId: "a", device: "d2" }),
        call({ keyId: "b", device: "d3" }),
        call({ keyId: "b", device: "d4" }),
      ],
      config,
    );
    expect(readEvidence("subscription_sharing", JSON.parse(JSON.stringify(s)))).toMatchObject({
      rule: "subscription_sharing",
      signal: "devices",
      count: 4,
      keys: 2,
    });
    expect(readEvidence("subscription_sharing", { signal: "phones" }).rule).toBe("other");
  });
});
