import { describe, expect, it } from "vitest";
import { BodyTooLarge, boundedText } from "../../lib/http/bounded-body";

const streamed = (pieces: string[]) =>
  new Request("http://x.test", {
    method: "POST",
    body: new ReadableStream({
      start: (c) => (pieces.forEach((p) => c.enqueue(new TextEncoder().encode(p))), c.close()),
    }),
    duplex: "half",
  } as RequestInit);

describe("SEC-3: request bodies are bounded before they are read whole", () => {
  it("SEC-3: a declared length over the limit is refused before any byte is read", async () => {
    const req = new Request("http://x.test", {
      method: "POST",
      body: "x".repeat(11),
      headers: { "content-length": "11" },
    });
    await expect(boundedText(req, 10)).rejects.toBeInstanceOf(BodyTooLarge);
    expect(req.bodyUsed).toBe(false);
  });

  it("SEC-3: a streamed body is abandoned as soon as it passes the limit; one at the limit is read whole, multi-byte characters across pieces intact", async () => {
    await expect(boundedText(streamed(["12345", "67890", "1"]), 10)).rejects.toBeInstanceOf(BodyTooLarge);
    const euro = new TextEncoder().encode("€"); // 3 bytes split over two pieces
    const split = new Request("http://x.test", {
      method: "POST",
      body: new ReadableStream({
        start: (c) => (
          c.enqueue(euro.slice(0, 1)),
          c.enqueue(euro.slice(1)),
          c.enqueue(new TextEncoder().encode("1234567")),
          c.close()
        ),
      }),
      duplex: "half",
    } as RequestInit);
    expect(await boundedText(split, 10)).toBe("€1234567");
  });
});
