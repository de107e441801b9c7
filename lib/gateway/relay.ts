import type http from "node:http";
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
  /** The frame that ends a stream that broke off after it started (GATE-3); made only when one does. */
  errorFrame: () => string;
  /** Runs once, when the answer is over: finished, broken off, or abandoned by the client. */
  onEnd: (end: RelayEnd) => Promise<void>;
};

/**
 * GATE-1, GATE-3: relays a streamed answer to the client event for event,
 * metering it on the way. Waits for the model server's first event before
 * answering, so that a failure before it can still be answered as a
 * retryable error with nothing spent (`started: false`); from then on every
 * event goes out as soon as it is read. A client that goes away aborts the
 * model server's call. The answer is written straight to a node:http
 * response by the decision server, or read as a web stream by Next.
 */
export async function relayStream(
  o: RelayOptions,
): Promise<{ started: true; answer: RelayedAnswer } | { started: false; error: UpstreamError }> {
  const pieces = o.body[Symbol.asyncIterator]();
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
    const out = pending.join("");
    pending = [];
    return out;
  };
  /** The next step: the text to send now (possibly none), and whether the answer is over. */
  const step = async (): Promise<{ text: string; last: boolean; error?: UpstreamError }> => {
    try {
      if (pending.length === 0 && more) more = await fill();
    } catch (e) {
      const error = e instanceof UpstreamError ? e : new UpstreamError("cut", String(e));
      return { text: o.errorFrame(), last: true, error };
    }
    // The answer is accounted for before its last event goes out: an agent that acts on it at once
    // finds its tool calls recorded (its next call continues the prompt) and its slot free.
    if (o.meter.finished || !more) await end({ delivered: true, error: null });
    return { text: take(), last: !more };
  };
  const cancel = async () => {
    o.abort(new Error("the client went away"));
    await pieces.return?.().catch(() => {});
    await end({ delivered: true, error: null });
  };
  return {
    started: true,
    answer: {
      writeTo: (res) => writeAnswer(res, step, () => o.meter.finished, cancel, end),
      stream: () => webStream(step, cancel, end),
    },
  };
}

/** A started answer, to be sent one way: written to a node:http response, or read as a web stream. */
export type RelayedAnswer = {
  writeTo: (res: http.ServerResponse) => Promise<void>;
  stream: () => ReadableStream<Uint8Array>;
};

type Step = () => Promise<{ text: string; last: boolean; error?: UpstreamError }>;

/**
 * Writes the answer to the response as it is read, waiting when the client
 * reads slower than the model server writes. Once the model server has sent
 * its closing event, what is left goes out with the end of the response in one
 * write (the model server's own end is normally in the same read), or at the
 * next turn of the event loop if that end is late.
 */
async function writeAnswer(
  res: http.ServerResponse,
  step: Step,
  finished: () => boolean,
  cancel: () => Promise<void>,
  end: (e: RelayEnd) => Promise<void>,
) {
  let gone = false;
  let wake: (() => void) | null = null;
  const onClose = () => {
    if (res.writableFinished) return;
    gone = true;
    wake?.();
    void cancel();
  };
  res.once("close", onClose);
  let uncork: NodeJS.Immediate | null = null;
  try {
    for (;;) {
      const { text, last, error } = await step();
      if (gone) return;
      if (last) {
        res.end(text);
        if (error) await end({ delivered: true, error });
        return;
      }
      if (!text) continue;
      if (finished() && !uncork) {
        res.cork();
        uncork = setImmediate(() => res.uncork());
      }
      if (!res.write(text)) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          res.once("drain", resolve);
        });
        res.off("drain", wake!);
        wake = null;
        if (gone) return;
      }
    }
  } finally {
    if (uncork) clearImmediate(uncork);
    res.off("close", onClose);
  }
}

function webStream(
  step: Step,
  cancel: () => Promise<void>,
  end: (e: RelayEnd) => Promise<void>,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { text, last, error } = await step();
      if (text) controller.enqueue(encoder.encode(text));
      if (last) controller.close();
      if (error) await end({ delivered: true, error });
    },
    cancel,
  });
}
