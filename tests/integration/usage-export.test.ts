import { describe, expect, it } from "vitest";
import { callsCsvStream, exportRange } from "../../lib/ops/call-export";
import { adminCallsExport, callsExportResponse } from "../../lib/ops/export-response";
import { setupFreshDatabase } from "../support/database";
import { subscriberWithKey } from "../support/quota";

const t = setupFreshDatabase();
const START = new Date("2027-03-01T00:00:00Z");

/** `plan` usage reports (every third a continuation) and `payg` billed calls, spread over March 2027, straight into the tables. */
async function heavyUser(plan: number, payg: number) {
  const s = await subscriberWithKey(t.db, START, "max");
  await t.db.$executeRaw`
    INSERT INTO usage_reports (subscription_id, request_id, key_id, model, input_tokens, output_tokens, cached_tokens, prompt_id, at)
    SELECT ${s.sub.id}::uuid, 'r' || i, ${s.keyId}::uuid, 'glm-4.7', 100 + i % 7, 20, 0,
           CASE WHEN i % 3 = 0 THEN 'r' || (i - 1) ELSE 'r' || i END,
           ${START}::timestamptz + (i * interval '1 second') * (2592000 / ${plan})
    FROM generate_series(1, ${plan}) AS i`;
  await t.db.$executeRaw`
    INSERT INTO api_calls (user_id, request_id, key_id, model, currency, input_tokens, output_tokens, cached_tokens, fee_minor, pack_minor, cash_minor, bonus_minor, parts, at)
    SELECT ${s.userId}::uuid, 'p' || i, ${s.keyId}::uuid, 'glm-5', 'USD', 50, 10, 0, 3, 0, 3, 0, '[]'::jsonb,
           ${START}::timestamptz + (i * interval '1 second') * (2592000 / ${payg}) + interval '1 millisecond'
    FROM generate_series(1, ${payg}) AS i`;
  return s;
}

async function readAll(stream: ReadableStream<Uint8Array>) {
  return new Response(stream).text();
}

describe("usage export", () => {
  it("EXPORT-1: a month of a heavy user's calls streams as CSV in pages of 1,000, one page per read, in time order, both sources, nobody else's", async () => {
    const s = await heavyUser(12_000, 3_000);
    const other = await heavyUser(50, 10);
    const range = exportRange.parse({ from: "2027-03-01", to: "2027-03-31" });
    const pages: number[] = [];
    const stream = callsCsvStream(t.db, s.userId, range, { onPage: (n) => pages.push(n) });
    const reader = stream.getReader();
    const header = new TextDecoder().decode((await reader.read()).value);
    expect(header).toBe(
      "time,key,model,kind,prompts,input_tokens,output_tokens,cached_tokens,cost_minor,currency,source\r\n",
    );
    // Nothing is read ahead of the reader: after the header, no page; after one read, one page.
    expect(pages).toEqual([]);
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(pages).toEqual([1000]);
    expect(first.trimEnd().split("\r\n")).toHaveLength(1000);
    let rest = "";
    for (let r = await reader.read(); !r.done; r = await reader.read()) rest += new TextDecoder().decode(r.value);
    expect(pages.length).toBe(16);
    expect(pages.slice(0, 15).every((n) => n === 1000)).toBe(true);
    const lines = (first + rest).trimEnd().split("\r\n");
    expect(lines).toHaveLength(15_000);
    const times = lines.map((l) => l.split(",")[0]);
    expect([...times].sort()).toEqual(times);
    expect(lines.filter((l) => l.endsWith(",plan"))).toHaveLength(12_000);
    expect(lines.filter((l) => l.endsWith(",payg"))).toHaveLength(3_000);
    expect(lines.filter((l) => l.includes(",continuation,"))).toHaveLength(4_000);
    expect(lines.find((l) => l.endsWith(",payg"))).toMatch(/,glm-5,,,50,10,0,3,USD,payg$/);
    expect(lines.find((l) => l.endsWith(",plan"))).toMatch(/laptop \(cp_[^)]*\)/);
    expect(lines.some((l) => l.includes(other.keyId))).toBe(false);
    const otherLines = (await readAll(callsCsvStream(t.db, other.userId, range))).trimEnd().split("\r\n");
    expect(otherLines).toHaveLength(61);
  });

  it("EXPORT-1: a range is bounded (at most 92 days, end not before start, real dates) and a bad one is a 422 that reads nothing", async () => {
    const s = await subscriberWithKey(t.db, START, "lite");
    const bad = [
      { from: "2027-01-01", to: "2027-06-01" },
      { from: "2027-03-10", to: "2027-03-01" },
      { from: "2027-02-30x", to: "2027-03-01" },
      { from: "2027-02-30", to: "2027-03-01" },
      { from: "", to: "" },
    ];
    for (const q of bad) {
      const r = callsExportResponse(t.db, s.userId, new URLSearchParams(q));
      expect(r.status).toBe(422);
      expect((await r.json()).error.code).toBe("invalid_input");
    }
    const ok = callsExportResponse(t.db, s.userId, new URLSearchParams({ from: "2027-01-01", to: "2027-04-01" }));
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(await ok.text()).toBe(
      "time,key,model,kind,prompts,input_tokens,output_tokens,cached_tokens,cost_minor,currency,source\r\n",
    );
  });

  it("EXPORT-1: an admin exports any customer's calls, and the export is audited; an unknown customer is a 404", async () => {
    const s = await heavyUser(30, 5);
    const admin = await subscriberWithKey(t.db, START, "lite");
    const r = await adminCallsExport(
      t.db,
      admin.userId,
      new URLSearchParams({ user: s.userId, from: "2027-03-01", to: "2027-03-31" }),
      START,
    );
    expect((await r.text()).trimEnd().split("\r\n")).toHaveLength(36);
    const audit = await t.db.auditLog.findFirstOrThrow({ where: { action: "usage.export", subjectId: s.userId } });
    expect(audit.actorId).toBe(admin.userId);
    const missing = await adminCallsExport(
      t.db,
      admin.userId,
      new URLSearchParams({ user: "00000000-0000-4000-8000-000000000000", from: "2027-03-01", to: "2027-03-31" }),
      START,
    );
    expect(missing.status).toBe(404);
  });
});
