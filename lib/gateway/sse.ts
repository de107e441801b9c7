import type { Completion } from "./completion";

/**
 * A server-sent-event body that renders a completion as it arrives. `finish`
 * (usage report, slot release) runs once the answer ends, also when the
 * client goes away mid-stream.
 */
export function sseBody(
  completion: Completion,
  finish: () => Promise<void>,
  render: { start: () => string[]; delta: (text: string) => string[]; end: () => Promise<string[]> },
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const iterator = completion.deltas[Symbol.asyncIterator]();
  let started = false;
  return new ReadableStream({
    async pull(controller) {
      try {
        if (!started) {
          started = true;
          for (const e of render.start()) controller.enqueue(encoder.encode(e));
        }
        const next = await iterator.next();
        if (next.done) {
          for (const e of await render.end()) controller.enqueue(encoder.encode(e));
          await finish();
          controller.close();
          return;
        }
        for (const e of render.delta(next.value)) controller.enqueue(encoder.encode(e));
      } catch (e) {
        await finish();
        controller.error(e);
      }
    },
    async cancel() {
      await iterator.return?.();
      await finish();
    },
  });
}

export const SSE_HEADERS = { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", connection: "keep-alive" };

/** Collects a whole completion (non-streamed answers). */
export async function collect(completion: Completion): Promise<string> {
  let text = "";
  for await (const piece of completion.deltas) text += piece;
  return text;
}
