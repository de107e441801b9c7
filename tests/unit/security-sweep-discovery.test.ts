import { describe, expect, it } from "vitest";
import { discoverPages, discoverRoutes, urlSegments } from "../security/app-files";
import { formActionBody } from "../security/server-actions";
import { fillParam } from "../security/surface";
import { mustRefuse, mustRefuseUnread } from "../security/verdicts";

const victims = {
  userId: "u",
  invoiceId: "i",
  creditNoteId: "c",
  keyId: "k",
  violationId: "v",
  paymentId: "p",
  referralId: "r",
  subscriptionId: "s",
  referralCode: "c",
};

describe("the security sweep's discovery (tests/security)", () => {
  it("SEC-3: finds every route file with the methods it exports, route groups dropped", () => {
    const routes = new Map(discoverRoutes().map((r) => ["/" + r.segments.join("/"), r.methods]));
    expect(routes.get("/api/gateway/v1/[...op]")).toContain("POST");
    // `export { notFound as GET, notFound as POST, … }` counts too.
    expect(routes.get("/api/[...path]")).toEqual(expect.arrayContaining(["GET", "POST", "PUT", "PATCH", "DELETE"]));
    expect(routes.get("/api/health")).toContain("GET");
    // Every route exports at least one method the sweep can call.
    expect([...routes.values()].filter((m) => m.length === 0)).toEqual([]);
    expect(urlSegments("app/(account)/keys/page.tsx")).toEqual(["keys"]);
    expect(discoverPages().map((p) => "/" + p.segments.join("/"))).toContain("/admin/customers/[id]");
  });

  it("SEC-1: a dynamic segment gets another user's record, and an unknown one stops the sweep", () => {
    expect(fillParam(victims, ["api", "billing", "invoices", "[id]", "receipt"], 3, "id")).toBe("i");
    expect(fillParam(victims, ["admin", "customers", "[id]"], 2, "id")).toBe("u");
    expect(fillParam(victims, ["api", "billing", "credit-notes", "[id]", "pdf"], 3, "id")).toBe("c");
    expect(() => fillParam(victims, ["things", "[thingId]"], 1, "thingId")).toThrow(/no value for \[thingId\]/);
  });

  it("SEC-3: a form action's body is React's reply encoding (arguments in part 0, the form's fields prefixed)", () => {
    const body = formActionBody([["keyId", "k"]]);
    expect(body.get("0")).toBe('["$undefined","$K1"]');
    expect(body.get("1_keyId")).toBe("k");
  });

  it("SEC-3: refusals pass, server errors, successes and whole-body reads fail", () => {
    expect(mustRefuse({ status: 401, redirect: null, ms: 1 })).toBeNull();
    expect(mustRefuse({ status: 200, redirect: "/sign-in;push", ms: 1 })).toBeNull();
    expect(mustRefuse({ status: 200, redirect: null, outcome: "refused", ms: 1 })).toBeNull();
    expect(mustRefuse({ status: 500, redirect: null, ms: 1 })).toMatch(/server error/);
    expect(mustRefuse({ status: 200, redirect: null, outcome: "ok", ms: 1 })).toMatch(/succeeded/);
    expect(mustRefuse({ status: 200, redirect: "/sign-in-elsewhere.example", ms: 1 })).toMatch(/not refused/);
    expect(mustRefuseUnread(100)({ status: 401, redirect: null, ms: 1, sentAtAnswer: 100 })).toMatch(/read/);
    expect(mustRefuseUnread(50 * 1048576)({ status: 413, redirect: null, ms: 1, sentAtAnswer: 36 * 1048576 })).toMatch(
      /read 36 of 50 MB/,
    );
    expect(
      mustRefuseUnread(50 * 1048576)({ status: 401, redirect: null, ms: 1, sentAtAnswer: 5 * 1048576 }),
    ).toBeNull();
    expect(mustRefuseUnread(100)({ status: 413, redirect: null, ms: 1, sentAtAnswer: 10 })).toBeNull();
  });
});
