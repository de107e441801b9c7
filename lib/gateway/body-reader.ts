import type http from "node:http";
import { BodyTooLarge } from "../http/bounded-body";

/**
 * A node:http request's body, read whole only when asked and only up to a
 * bound (SEC-3): a declared length over it is refused before a byte is read,
 * a chunked body as soon as it passes it. What a handler did not read (it
 * refused the caller first, or the body was too large) is dropped: the answer
 * says `connection: close`, the rest is read and thrown away so the client
 * gets to read the answer (a connection closed under a sender still writing is
 * a reset to it), and a sender that keeps going past a second is cut off.
 */
export class BodyReader {
  private state: "unread" | "reading" | "read" | "refused" = "unread";

  constructor(private readonly req: http.IncomingMessage) {}

  read(limit: number): Promise<Buffer> {
    const { req } = this;
    if (this.state !== "unread") return Promise.reject(new TypeError("the body was read already"));
    if (Number(req.headers["content-length"] ?? NaN) > limit) {
      this.state = "refused";
      return Promise.reject(new BodyTooLarge());
    }
    this.state = "reading";
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const done = () => (req.off("data", onData), req.off("end", onEnd), req.off("error", onError));
      const onData = (c: Buffer) => {
        size += c.length;
        if (size <= limit) return void chunks.push(c);
        done();
        chunks.length = 0;
        this.state = "refused";
        reject(new BodyTooLarge());
      };
      const onEnd = () => {
        done();
        this.state = "read";
        resolve(Buffer.concat(chunks));
      };
      const onError = (e: Error) => {
        done();
        this.state = "refused";
        reject(e);
      };
      req.on("data", onData).on("end", onEnd).on("error", onError);
    });
  }

  /** Whether a body was sent that nobody read whole. */
  private leftOver(): boolean {
    const { req } = this;
    if (this.state === "read" || req.complete) return false;
    return (
      this.state === "refused" ||
      Number(req.headers["content-length"] ?? 0) > 0 ||
      req.headers["transfer-encoding"] !== undefined
    );
  }

  /** The header an answer carries when the connection cannot be reused (a body is left over). */
  closeHeader(): Record<string, string> {
    return this.leftOver() ? { connection: "close" } : {};
  }

  /** Once answered: throws away what is left of the body, for at most a second. */
  dropRest() {
    if (!this.leftOver()) return;
    const { req } = this;
    req.removeAllListeners("data");
    req.resume();
    setTimeout(() => req.destroy(), 1000).unref();
  }
}
