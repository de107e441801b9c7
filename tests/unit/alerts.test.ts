import { describe, expect, it } from "vitest";
import { checkTarget, isPublicAddress } from "../../lib/alerts/webhook-target";
import { transitions, type OpenState, type Reading, type Thresholds } from "../../lib/alerts/thresholds";

const defaults: Thresholds = {
  five_hour: [80, 100],
  weekly: [80, 100],
  monthly: [80, 100],
  lowBalanceMinor: null,
  lowBalanceCurrency: null,
};
const five = (percentage: number, windowKey = "sub"): Reading => ({
  subject: "five_hour",
  windowKey,
  percentage,
  used: percentage,
  limit: 100,
});
const week = (percentage: number, windowKey: string): Reading => ({
  subject: "weekly",
  windowKey,
  percentage,
  used: percentage,
  limit: 100,
});
const open = (subject: OpenState["subject"], threshold: number, windowKey: string): OpenState => ({
  id: `${subject}-${threshold}`,
  subject,
  threshold: BigInt(threshold),
  windowKey,
});
const kinds = (steps: ReturnType<typeof transitions>) =>
  steps.map((s) =>
    s.kind === "fire"
      ? `fire ${s.subject} ${s.threshold}`
      : `${s.silent ? "close" : "resolve"} ${s.state.subject} ${s.state.threshold}`,
  );

describe("ALERT-1: which thresholds fire and resolve", () => {
  it("ALERT-1: 85 % fires the 80 % threshold only; 100 % fires both", () => {
    expect(kinds(transitions([five(85)], defaults, []))).toEqual(["fire five_hour 80"]);
    expect(kinds(transitions([five(100)], defaults, []))).toEqual(["fire five_hour 80", "fire five_hour 100"]);
    expect(kinds(transitions([five(79)], defaults, []))).toEqual([]);
  });

  it("ALERT-1: an open threshold does not fire again in the same window", () => {
    expect(kinds(transitions([five(95)], defaults, [open("five_hour", 80, "sub")]))).toEqual([]);
  });

  it("ALERT-1: the rolling 5-hour window resolves when use falls back under the threshold, and may fire again after", () => {
    expect(kinds(transitions([five(40)], defaults, [open("five_hour", 80, "sub")]))).toEqual(["resolve five_hour 80"]);
    expect(kinds(transitions([five(90)], defaults, []))).toEqual(["fire five_hour 80"]);
  });

  it("ALERT-1: a weekly alert resolves when a new week starts, and fires in the new week when crossed again", () => {
    expect(kinds(transitions([week(90, "s:3")], defaults, [open("weekly", 80, "s:3")]))).toEqual([]);
    expect(kinds(transitions([week(10, "s:4")], defaults, [open("weekly", 80, "s:3")]))).toEqual(["resolve weekly 80"]);
    expect(kinds(transitions([week(85, "s:4")], defaults, [open("weekly", 80, "s:3")]))).toEqual([
      "resolve weekly 80",
      "fire weekly 80",
    ]);
  });

  it("ALERT-1: a threshold the subscriber removed closes without a message", () => {
    expect(kinds(transitions([five(95)], { ...defaults, five_hour: [90] }, [open("five_hour", 80, "sub")]))).toEqual([
      "close five_hour 80",
      "fire five_hour 90",
    ]);
  });

  it("ALERT-1: a low balance fires below its threshold and resolves at or above it", () => {
    const low: Thresholds = { ...defaults, lowBalanceMinor: 500n, lowBalanceCurrency: "USD" };
    const balance = (amountMinor: bigint): Reading => ({ subject: "balance", windowKey: "USD", amountMinor });
    expect(kinds(transitions([balance(499n)], low, []))).toEqual(["fire balance 500"]);
    expect(kinds(transitions([balance(500n)], low, []))).toEqual([]);
    expect(kinds(transitions([balance(100n)], low, [open("balance", 500, "USD")]))).toEqual([]);
    expect(kinds(transitions([balance(500n)], low, [open("balance", 500, "USD")]))).toEqual(["resolve balance 500"]);
  });
});

describe("ALERT-1: webhook destinations", () => {
  it("ALERT-1: loopback, private, link-local, unique-local, CGNAT and IPv4-mapped loopback are not public", () => {
    for (const ip of [
      "127.0.0.1",
      "10.1.2.3",
      "172.16.0.1",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "::1",
      "fe80::1",
      "fd00::1",
      "::ffff:127.0.0.1",
      "::",
    ])
      expect(isPublicAddress(ip), ip).toBe(false);
    for (const ip of ["93.184.216.34", "2606:4700:4700::1111", "::ffff:8.8.8.8"])
      expect(isPublicAddress(ip), ip).toBe(true);
  });

  it("ALERT-1: a URL is refused when any address its name resolves to is private, unless the operator allows it", async () => {
    const resolve = async (host: string) =>
      host === "mixed.example"
        ? [
            { address: "93.184.216.34", family: 4 },
            { address: "10.0.0.5", family: 4 },
          ]
        : [{ address: "93.184.216.34", family: 4 }];
    expect(await checkTarget("https://mixed.example/hook", false, resolve)).toBe("webhook_url_private");
    expect(await checkTarget("http://169.254.169.254/latest/meta-data", false, resolve)).toBe("webhook_url_private");
    expect(await checkTarget("http://[::1]:8080/", false, resolve)).toBe("webhook_url_private");
    expect(await checkTarget("http://127.0.0.1:8080/", true, resolve)).toMatchObject({ address: "127.0.0.1" });
    expect(await checkTarget("https://hooks.example/in", false, resolve)).toMatchObject({ address: "93.184.216.34" });
    expect(await checkTarget("ftp://hooks.example/in", false, resolve)).toBe("webhook_url_invalid");
    expect(await checkTarget("https://user:pw@hooks.example/in", false, resolve)).toBe("webhook_url_invalid");
    expect(
      await checkTarget("https://nowhere.invalid/", false, async () => {
        throw new Error("ENOTFOUND");
      }),
    ).toBe("webhook_url_unresolvable");
  });
});
