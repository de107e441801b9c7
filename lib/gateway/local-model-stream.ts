/** A word at a time, spaces kept, so the pieces join back into the text. */
export function wordPieces(text: string): string[] {
  return text.match(/\s*\S+\s*/g) ?? (text ? [text] : []);
}

/** JSON text in a few pieces cut anywhere, as a model's partial JSON arrives: at least two when it is longer than one character. */
export function jsonPieces(json: string, count = 4): string[] {
  const size = Math.max(1, Math.ceil(json.length / count));
  const pieces: string[] = [];
  for (let at = 0; at < json.length; at += size) pieces.push(json.slice(at, at + size));
  return pieces;
}

/**
 * A server-sent-event body sent one frame at a time, each after a turn of
 * the event loop, so that a reader sees the answer arrive in pieces as from
 * a real model server. An abort ends it at once with the abort's reason, as
 * a dropped connection ends a real one.
 */
export function frameStream(frames: string[], signal?: AbortSignal): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let next = 0;
  let stopListening = () => {};
  return new ReadableStream({
    start(controller) {
      if (!signal) return;
      const onAbort = () => controller.error(signal.reason);
      if (signal.aborted) return onAbort();
      signal.addEventListener("abort", onAbort, { once: true });
      stopListening = () => signal.removeEventListener("abort", onAbort);
    },
    async pull(controller) {
      if (next > 0) await new Promise((r) => setTimeout(r, 0));
      if (signal?.aborted) return;
      controller.enqueue(encoder.encode(frames[next++]));
      if (next >= frames.length) {
        stopListening();
        controller.close();
      }
    },
    cancel() {
      stopListening();
    },
  });
}
