import { describe, expect, it } from "vitest";
import { readEvidence } from "../../lib/policy/evidence";

describe("reading a violation's evidence", () => {
  it("POLICY-1: not_coding evidence reads back as written", () => {
    expect(
      readEvidence("not_coding", {
        calls: 30,
        offPattern: 27,
        shareBps: 9000,
        thresholdBps: 8000,
        clients: ["python-requests", 3],
      }),
    ).toEqual({
      rule: "not_coding",
      calls: 30,
      offPattern: 27,
      shareBps: 9000,
      thresholdBps: 8000,
      clients: ["python-requests"],
    });
  });

  it("POLICY-3: key_sharing evidence reads back with its time; a bad time reads as none", () => {
    const e = readEvidence("key_sharing", {
      keyId: "k",
      networks: ["a", "b"],
      windowMinutes: 10,
      max: 1,
      at: "2027-01-01T00:00:00.000Z",
    });
    expect(e).toMatchObject({
      rule: "key_sharing",
      keyId: "k",
      networks: ["a", "b"],
      at: new Date("2027-01-01T00:00:00Z"),
    });
    expect(readEvidence("key_sharing", { networks: [], at: "soon" })).toMatchObject({ at: null, keyId: "" });
  });

  it("evidence of another shape, or of an unknown rule, reads as its plain values", () => {
    expect(readEvidence("not_coding", {})).toEqual({ rule: "other", values: [] });
    expect(readEvidence("new_rule", { n: 2, nested: { x: 1 }, ok: true })).toEqual({
      rule: "other",
      values: [
        ["n", "2"],
        ["ok", "true"],
      ],
    });
    expect(readEvidence("key_sharing", null)).toEqual({ rule: "other", values: [] });
  });
});
