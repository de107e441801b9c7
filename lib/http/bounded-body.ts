/** The body was larger than the route takes. */
export class BodyTooLarge extends Error {}

/**
 * A request's body as text, refusing it once it passes `limit` bytes: the
 * declared length is checked before anything is read, and a body that runs
 * past the limit is abandoned mid-way, so an oversized upload never sits in
 * memory whole. A Request without a stream (the decision server's, whose
 * body it already read under its own bound) is read as it is.
 */
export async function boundedText(req: Request, limit: number): Promise<string> {
  const declared = Number(req.headers.get("content-length") ?? NaN);
  if (declared > limit) throw new BodyTooLarge();
  if (!req.body) return req.text();
  const reader = req.body.getReader();
  const decoder = new TextDecoder();
  let size = 0;
  let text = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw new BodyTooLarge();
    }
    text += decoder.decode(value, { stream: true });
  }
}
