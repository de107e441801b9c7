import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authenticate } from "../../lib/auth/users";
import { stampClientAddress } from "../../lib/http/client-address";
import { clientIp } from "../../lib/http/client-ip";
import { signUpAndConfirm } from "../support/accounts";
import { setupFreshDatabase } from "../support/database";

const t = setupFreshDatabase();
const policy = { maxFailures: 5, windowSeconds: 60 };
const T0 = new Date("2027-03-09T12:00:00Z");
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const PASSWORD = "correct horse battery";

const newUser = (email: string, locale: "en" | "zh-CN" = "en") =>
  signUpAndConfirm(t.db, { email, password: PASSWORD, name: "Test", locale }, T0);
const guess = (email: string, ip: string, s: number, password = "wrong") =>
  authenticate(t.db, { email, password }, { now: at(s), ip, policy });

describe("sign-in throttling per account (SEC-2)", () => {
  it("SEC-2: guesses at one account from a new network each back off per account: 10 free, then 60 s, then 120 s, even for the right password", async () => {
    await newUser("botnet@example.com");
    for (let i = 0; i < 10; i++)
      expect(await guess("botnet@example.com", `198.51.100.${i}`, i)).toEqual({
        ok: false,
        error: "invalid_credentials",
      });
    // The 11th, from yet another network, waits 60 s after the 10th failure (at 9 s).
    expect(await guess("botnet@example.com", "198.51.100.200", 20, PASSWORD)).toEqual({
      ok: false,
      error: "throttled",
      retryAfterSeconds: 49,
    });
    expect(await guess("botnet@example.com", "198.51.100.201", 69)).toEqual({
      ok: false,
      error: "invalid_credentials",
    });
    // The next counted failure doubles the wait: 120 s after the one at 69 s.
    expect(await guess("botnet@example.com", "198.51.100.202", 150)).toEqual({
      ok: false,
      error: "throttled",
      retryAfterSeconds: 39,
    });
    expect((await guess("botnet@example.com", "198.51.100.203", 189, PASSWORD)).ok).toBe(true);
    // A success resets the run: the next failure is free again.
    expect(await guess("botnet@example.com", "198.51.100.204", 190)).toEqual({
      ok: false,
      error: "invalid_credentials",
    });
  });

  it("SEC-2: attempts refused by the throttle do not lengthen the owner's wait", async () => {
    await newUser("hammered@example.com");
    for (let i = 0; i < 10; i++) await guess("hammered@example.com", `203.0.113.${i}`, i);
    for (let s = 10; s < 69; s += 3) expect((await guess("hammered@example.com", `192.0.2.${s}`, s)).ok).toBe(false);
    expect((await guess("hammered@example.com", "10.9.9.9", 69, PASSWORD)).ok).toBe(true);
  });

  it("SEC-2: the owner gets one notice, in their language, when the delays begin", async () => {
    await newUser("notice@example.cn", "zh-CN");
    for (let i = 0; i < 10; i++) await guess("notice@example.cn", `198.18.0.${i}`, i);
    await guess("notice@example.cn", "198.18.1.1", 200);
    const mail = await t.db.devMail.findMany({ where: { to: "notice@example.cn" } });
    expect(mail).toHaveLength(1);
    expect(mail[0].subject).toBe("您的 CodePlan 账号多次登录失败");
    expect(mail[0].text).toContain("10");
    // An unknown address gets the same answers as an account (the same delays too), and no mail goes anywhere.
    for (let i = 0; i < 10; i++)
      expect(await guess("nobody@example.com", `198.18.2.${i}`, i)).toEqual({
        ok: false,
        error: "invalid_credentials",
      });
    expect(await guess("nobody@example.com", "198.18.2.99", 20)).toEqual({
      ok: false,
      error: "throttled",
      retryAfterSeconds: 49,
    });
    expect(await t.db.devMail.count({ where: { to: "nobody@example.com" } })).toBe(0);
  });

  it("SEC-2: 30 simultaneous guesses at one account from 30 networks get exactly 10 password checks", async () => {
    await newUser("swarm@example.com");
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => guess("swarm@example.com", `100.64.0.${i}`, 0)),
    );
    expect(results.filter((r) => !r.ok && r.error === "invalid_credentials")).toHaveLength(10);
    expect(results.filter((r) => !r.ok && r.error === "throttled")).toHaveLength(20);
  });
});

describe("the network is the socket's, not a header (SEC-2)", () => {
  // A server that does what scripts/web-server.ts does before Next: stamp the address, then the handler reads it.
  let url = "";
  let server: http.Server;
  beforeAll(async () => {
    server = http.createServer(async (req, res) => {
      stampClientAddress(req, 0);
      const result = await guess("rotated@example.com", clientIp(req.headers), 0);
      res.end(JSON.stringify({ ip: clientIp(req.headers), result }));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  it("SEC-2: eight wrong passwords with a new X-Forwarded-For each are throttled from the sixth, like a fixed one", async () => {
    await newUser("rotated@example.com");
    const answers: { ip: string; result: { ok: boolean; error?: string } }[] = [];
    for (let i = 0; i < 8; i++) {
      const res = await fetch(url, {
        headers: {
          "x-forwarded-for": `203.0.113.${i}`,
          "x-real-ip": `198.51.100.${i}`,
          "x-codeplan-client-address": `192.0.2.${i}`,
        },
      });
      answers.push(await res.json());
    }
    expect(new Set(answers.map((a) => a.ip))).toEqual(new Set(["127.0.0.1"]));
    expect(answers.map((a) => a.result.error)).toEqual([
      ...Array(5).fill("invalid_credentials"),
      ...Array(3).fill("throttled"),
    ]);
  });
});
