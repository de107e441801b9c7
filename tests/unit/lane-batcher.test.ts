import { describe, expect, it } from "vitest";
import { LaneBatcher } from "../../lib/db/lane-batcher";

/** A batcher over one lane that records its batches; `gate` holds a batch until released. */
function recorder(opts: { fail?: (item: string) => boolean } = {}) {
  const batches: string[][] = [];
  let release: () => void = () => {};
  let gate: Promise<void> | null = null;
  const batcher = new LaneBatcher<string, string>(
    1,
    () => "00000000",
    async (items) => {
      batches.push(items);
      if (gate) await gate;
      if (items.some((i) => opts.fail?.(i))) throw new Error("bad item");
      return items.map((i) => i.toUpperCase());
    },
  );
  return {
    batcher,
    batches,
    hold: () => (gate = new Promise((r) => (release = r))),
    open: () => {
      gate = null;
      release();
    },
  };
}

describe("lane batcher (the decision and settlement batches)", () => {
  it("items submitted in the same turn of the event loop go in one batch, not the first alone", async () => {
    const r = recorder();
    const answers = await Promise.all(["a", "b", "c"].map((i) => r.batcher.submit(i)));
    expect(answers).toEqual(["A", "B", "C"]);
    expect(r.batches).toEqual([["a", "b", "c"]]);
  });

  it("a lane has one batch in flight: what arrives meanwhile waits and goes together in the next", async () => {
    const r = recorder();
    r.hold();
    const first = r.batcher.submit("a");
    await new Promise((done) => setImmediate(done));
    expect(r.batches).toEqual([["a"]]);
    const later = [r.batcher.submit("b"), r.batcher.submit("c")];
    await new Promise((done) => setTimeout(done, 5));
    expect(r.batches).toEqual([["a"]]);
    r.open();
    expect(await Promise.all([first, ...later])).toEqual(["A", "B", "C"]);
    expect(r.batches).toEqual([["a"], ["b", "c"]]);
  });

  it("a failing batch is retried item by item, so one bad item fails alone", async () => {
    const r = recorder({ fail: (i) => i === "bad" });
    const answers = await Promise.allSettled(["a", "bad", "c"].map((i) => r.batcher.submit(i)));
    expect(answers.map((a) => a.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(r.batches).toEqual([["a", "bad", "c"], ["a"], ["bad"], ["c"]]);
  });
});
