import { createParser } from "eventsource-parser";
import type { AnswerMeter } from "./answer-meter";
import type { StreamTranslator } from "./translate";
import { failureOf, UpstreamError } from "./upstream";
import type { SseEvent } from "./wire";

export type RelayEnd = { delivered: boolean; error: UpstreamError | null };

export type RelayOptions = {
  body: AsyncIterable<Uint8Array>;
  meter: AnswerMeter;
  /** Renders the model server's events for the client: event for event on the same wire, or translated. */
  render: StreamTranslator;
  /** OpenAI: the gateway asked for the usage chunk the client did not ask for; it is read, not sent. */
  dropUsageOnly: boolean;
  abort: (reason?: unknown) => void;
  /** The frame that ends a stream that broke off after it started (GATE-3). */
  errorFrame: string;
  /** Runs once, when the answer is over: finished, broken off, or abandoned by the client. */
  onEnd: (end: RelayEnd) => Promise<void>;
};

/**
 * GATE-1, GATE-3: relays a streamed answer to the client event for event,
 * metering it on the way. Waits for the model server's first event before
 * answering, so that a failure before it can still be answered as a
 * retryable error with nothing spent (`started: false`); from then on every
 * event goes out as soon as it is read. A client that goes away aborts the
 * model server's call.
 */
export async function relayStream(o: RelayOptions): Promise<{ started: true; stream: ReadableStream<Uint8Array> } | { started: false; error: UpstreamError }> {
  const pieces = o.body[Symbol.asyncIterator]();
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  let pending: string[] = [];
  let events = 0;
  const parser = createParser({
    onEvent: (ev: SseEvent) => {
      events += 1;
      if (o.meter.event(ev).usageOnly && o.dropUsageOnly) return;
      pending.push(...o.render.push(ev));
    },
  });
  let ended = false;
  const end = (e: RelayEnd) => {
    if (ended) return Promise.resolve();
    ended = true;
    return o.onEnd(e);
  };
  /** Reads until there is something to send; false once the model server's answer is over. */
  const fill = async (): Promise<boolean> => {
    while (pending.length === 0) {
      let next: IteratorResult<Uint8Array>;
      try {
        next = await pieces.next();
      } catch (e) {
        throw failureOf(e, null);
      }
      if (next.done) {
        parser.reset({ consume: true });
        pending.push(...o.render.end());
        return false;
      }
      parser.feed(decoder.decode(next.value, { stream: true }));
    }
    return true;
  };
  let more: boolean;
  try {
    more = await fill();
  } catch (e) {
    const error = e instanceof UpstreamError ? e : new UpstreamError("cut", String(e));
    await end({ delivered: false, error });
    return { started: false, error };
  }
  if (events === 0) {
    // A stream that ended without a single event is no answer (whatever a translator would close it with).
    const error = new UpstreamError("cut", "the model server's stream was empty");
    await end({ delivered: false, error });
    return { started: false, error };
  }
  const take = () => {
    const out = encoder.encode(pending.join(""));
    pending = [];
    return out;
  };
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (pending.length === 0 && more) more = await fill();
      } catch (e) {
        const error = e instanceof UpstreamError ? e : new UpstreamError("cut", String(e));
        controller.enqueue(encoder.encode(o.errorFrame));
        controller.close();
        return end({ delivered: true, error });
      }
      // The answer is accounted for before its last event goes out: an agent that acts on it at once
      // finds its tool calls recorded (its next call continues the prompt) and its slot free.
      if (o.meter.finished || !more) await end({ delivered: true, error: null });
      if (pending.length > 0) controller.enqueue(take());
      if (!more) controller.close();
    },
    async cancel() {
      o.abort(new Error("the client went away"));
      await pieces.return?.().catch(() => {});
      await end({ delivered: true, error: null });
    },
  });
  return { started: true, stream };
}
